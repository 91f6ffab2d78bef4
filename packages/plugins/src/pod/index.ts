// @flytekit-ts/plugins/pod: function tasks in a pod of their own (flytekit's pod plugin).
export { Pod, PodFunctionTask } from "./task.js";
