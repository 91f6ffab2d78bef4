// Tables: a task gives an Apache Arrow Table and another takes it, as Parquet files laid out the
// way flytekit lays out a pandas DataFrame (so a Python task reads it as one); declared columns
// are a projection and a check; batches stream through a task without the whole table in memory.
import { Dataset, Float, Int, Str, StructuredDataset } from "@flytekit-ts/core";
import { task } from "@flytekit-ts/decorators";
import { RecordBatch, Table, tableFromArrays, Utf8, vectorFromArray } from "apache-arrow";
import { readdirSync } from "node:fs";

export class Sales {
  /** A parameter or return typed `Table` is a table read or written whole (Parquet by default). */
  @task({ outputs: Dataset.asTable() })
  static async orders(n: number): Promise<Table> {
    const ids = BigInt64Array.from({ length: n }, (_, i) => BigInt(i + 1));
    const amounts = Float64Array.from({ length: n }, (_, i) => ((i * 37) % 100) + 0.5);
    const regions = vectorFromArray(Array.from({ length: n }, (_, i) => ["north", "south", "east", "west"][i % 4]!), new Utf8());
    return tableFromArrays({ id: ids, amount: amounts }).assign(new Table({ region: regions }));
  }

  /** Declared columns: only these are read (from a wider table), and a column of the wrong type is an error naming it. */
  @task({ inputs: { orders: Dataset.withColumns({ region: Str, amount: Float }) }, outputs: { regions: Int, total: Float } })
  static async totals(orders: StructuredDataset): Promise<{ regions: number; total: number }> {
    const table = await orders.all();
    const amounts = table.getChild("amount")!.toArray() as Float64Array;
    return { regions: new Set(table.getChild("region")!.toArray()).size, total: amounts.reduce((a, b) => a + b, 0) };
  }

  /** Batches in, batches out: memory is bounded by a batch, not the table. */
  @task({ outputs: Dataset })
  static async large(orders: StructuredDataset): Promise<StructuredDataset> {
    async function* doubled(): AsyncGenerator<RecordBatch> {
      for await (const batch of orders.iter({ batchSize: 10_000 })) {
        const amount = Float64Array.from(batch.getChild("amount")!.toArray() as Float64Array, (a) => a * 2);
        yield tableFromArrays({ amount }).batches[0]!;
      }
    }
    return new StructuredDataset(doubled());
  }

  /** CSV as flytekit's pandas encoder writes it: the file `.csv` in the table's folder. */
  @task({ outputs: Dataset.withFormat("csv").asTable() })
  static async asCsv(orders: Table): Promise<Table> {
    return orders;
  }
}

export async function main(): Promise<void> {
  const orders = await Sales.orders(100_000);
  console.log(`orders: ${orders.numRows} rows, columns ${orders.schema.fields.map((f) => `${f.name} (${String(f.type)})`).join(", ")}`);
  const { regions, total } = await Sales.totals(new StructuredDataset(orders));
  console.log(`totals: ${regions} regions, ${total.toFixed(1)} in all`);
  const doubled = await Sales.large(new StructuredDataset(orders));
  let rows = 0;
  for await (const batch of doubled.iter()) rows += batch.numRows;
  console.log(`streamed: ${rows} rows, written to ${readdirSync(doubled.uri!).join(", ")} in ${doubled.uri}`);
  const csv = await Sales.asCsv(orders);
  console.log(`as CSV and back: ${csv.numRows} rows`);
}
