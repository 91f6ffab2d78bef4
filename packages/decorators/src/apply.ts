// One way in for the task decorators, whichever mode TypeScript applied them in: legacy decorators
// go to declare.ts, standard ones to standard.ts; both record into core's one task store.
import { registerTaskDecoratorApplier, type TaskDeclaration } from "@flytekit-ts/core/internal";
import { applicationOf, type Application } from "./application.js";
import { declareTask } from "./declare.js";
import { declareStandard } from "./standard.js";

/** Declares the task a decorator's application says (the class or method it was applied to). */
export function applyTaskDecorator(decorator: string, kind: TaskDeclaration["kind"], options: Readonly<Record<string, unknown>>, application: Application): unknown {
  if (application.mode === "standard") return declareStandard(decorator, kind, options, application.value, application.context);
  return declareTask(decorator, kind, options, application.target, application.key, application.descriptor);
}

// Core's TaskEnvironment declares tasks on class members through this (`@env.task`): core does
// not depend on this package, so it is told how when the package is loaded.
registerTaskDecoratorApplier((decorator, options, args) => {
  const application = applicationOf(args, true);
  return application === undefined ? undefined : { result: applyTaskDecorator(decorator, "function", options as Readonly<Record<string, unknown>>, application) };
});
