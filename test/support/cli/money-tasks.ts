// Tasks on a type a plugin added (support/money.ts), for `flytekit-ts run`.
import { task } from "@flytekit-ts/decorators";
import { Money } from "../money.js";

export class Wallet {
  /** Doubles an amount. */
  @task()
  static double(amount: Money): Money {
    return new Money(amount.cents * 2, amount.currency);
  }
}
