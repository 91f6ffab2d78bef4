// The built-in types. Each registers itself with the engine when its module loads; importing this
// module loads them all. A type from elsewhere (a plugin) registers the same way, from its own file.
import "./scalars.js";
import "./time.js";
import "./collections.js";
import "./union.js";
import "./enum.js";
import "./json.js";
import "./record.js";
import "./blob.js";
import "./structured.js";
import "./schema.js";
