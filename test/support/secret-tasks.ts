// Tasks that read a secret and then let it reach an error (test/secrets-masking.test.ts): through
// an output that does not convert, and through an error's message, properties and cause.
import { task } from "@flytekit-ts/decorators";
import { currentContext, Int, Secret } from "@flytekit-ts/core";

/** An error as HTTP clients make them: the request's headers as a property, the transport's error as its cause. */
export class RequestFailed extends Error {
  override name = "RequestFailed";
  constructor(
    message: string,
    readonly request: { url: string; headers: Record<string, string> },
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const token = new Secret({ group: "api", key: "token" });

export class SecretTasks {
  /** Returns the secret where an Int is declared: the conversion error would quote it. */
  @task({ outputs: Int, secretRequests: [token] })
  static leakThroughOutput(): number {
    return currentContext().secrets.get("api", "token") as unknown as number;
  }

  /** Throws an error whose message, properties and cause hold the secret. */
  @task({ outputs: Int, secretRequests: [token] })
  static leakThroughError(): number {
    const value = currentContext().secrets.get("api", "token");
    const transport = new Error(`401 for token ${value}`);
    throw new RequestFailed(`request with ${value} refused`, { url: "https://api.example.com", headers: { Authorization: `Bearer ${value}` } }, { cause: transport });
  }
}
