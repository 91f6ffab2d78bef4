// @flytekit-ts/plugins/sqlite: queries against SQLite database files (flytekit's SQLite3Task).
export { SQLite3Config, SQLite3Task, SQLite3TaskExecutor, queryRows, type SQLite3TaskInit } from "./task.js";
export { unarchiveFile, unzip } from "./archive.js";
