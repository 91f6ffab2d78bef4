import { ContainerTask } from "@flytekit-ts/core";
import { containerTask } from "@flytekit-ts/decorators";
import { ELLIPSE } from "../raw-container-ellipse.js";
// Raw container tasks for `flytekit-ts serialize` and `package`: the ellipse task as a value,
// and the same declaration on a class (named after it).

export const ellipse = new ContainerTask({ name: "ellipse-area-metadata-shell", ...ELLIPSE });

@containerTask(ELLIPSE)
export class EllipseArea {}
