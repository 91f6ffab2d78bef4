// Local calls of the project's tasks, and their TaskTemplates, printed as JSON: what `node` gives
// for the compiled project.
import { ImageConfig, SerializationSettings, taskOf, templateToBinary, toTaskTemplate, type TaskLike } from "@flytekit-ts/core";

const settings = new SerializationSettings({ project: "p", domain: "d", version: "v1", imageConfig: ImageConfig.fromFlags(["img:1"]) });
const results: Record<string, unknown> = {};
const templates: Record<string, string> = {};

function template(handle: TaskLike): void {
  const t = taskOf(handle);
  templates[t.name] = Array.from(templateToBinary(toTaskTemplate(t, settings)), (b) => b.toString(16).padStart(2, "0")).join("");
}

const modules = JSON.parse(process.argv[2] ?? "[]") as string[];
for (const m of modules) {
  const exports = (await import(`./${m}.js`)) as Record<string, any>;
  if (m === "tasks") {
    const { Geometry, Point, shout } = exports;
    const a = Object.assign(new Point(), { x: 0, y: 0 });
    const b = Object.assign(new Point(), { x: 3, y: 4 });
    results.distance = Geometry.distance(a, b);
    results.total = await Geometry.total([1, 2, 3]);
    results.shout = shout({ text: "hi" });
    for (const h of [Geometry.distance, Geometry.total]) template(h);
  }
  if (m === "typed") {
    const { Typed, Unit } = exports;
    results.twice = Typed.twice(21);
    try {
      results.twiceHalf = Typed.twice(1.5);
    } catch (e) {
      results.twiceHalf = { error: `${(e as Error).name}: ${(e as Error).message}` };
    }
    results.convert = Typed.convert({ value: 10, unit: Unit.Metre, note: null }, Unit.Foot);
    results.summary = await Typed.summary([1, 2, 3]);
    for (const h of [Typed.twice, Typed.convert, Typed.summary]) template(h);
  }
  if (m === "inferred") {
    results.scale = exports.Inferred.scale(2, 1.5, "s");
    template(exports.Inferred.scale);
  }
}
console.log(JSON.stringify({ results, templates }));
