import { RecoverableError } from "@flytekit-ts/core";
// A module whose import fails with a RecoverableError (a service it needs at import is down):
// flytekit reports a recoverable failure to load as RECOVERABLE.

export const nothing = 0;
throw new RecoverableError("the feature store is not reachable yet");
