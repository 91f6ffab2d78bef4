/** The version of flytekit-ts, written into every TaskTemplate's runtime metadata. */
export const VERSION = "0.1.0";
