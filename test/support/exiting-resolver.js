// A resolver module that ends the process while it is imported (test/entrypoint-guarantees.test.ts):
// the container must still write a document, and exit non-zero.
process.exit(0);

export class R {}
