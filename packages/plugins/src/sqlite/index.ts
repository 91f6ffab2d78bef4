// @flytekit-ts/plugins/sqlite: queries against SQLite database files (flytekit's SQLite3Task).
export { SQLite3Config, SQLite3Task, SQLite3TaskExecutor, queryRows, queryTable, type SQLite3TaskInit } from "./task.js";
export { rowsToTable, type RowsToTableOptions, type ResultColumn } from "./table.js";
export { unarchiveFile, unzip } from "./archive.js";
