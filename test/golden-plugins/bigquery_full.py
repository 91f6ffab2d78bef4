from flytekitplugins.bigquery import BigQueryConfig, BigQueryTask
from google.cloud.bigquery import QueryJobConfig, ScalarQueryParameter

from flytekit import StructuredDataset, kwtypes

bq_full = BigQueryTask(
    name="bigquery_full.bq_full",
    inputs=kwtypes(version=int),
    query_template="SELECT * FROM `bigquery-public-data.crypto_dogecoin.transactions` WHERE @version = 1 LIMIT 10",
    task_config=BigQueryConfig(
        ProjectID="flyte-project",
        Location="Asia",
        QueryJobConfig=QueryJobConfig(
            allow_large_results=True,
            use_legacy_sql=False,
            use_query_cache=False,
            maximum_bytes_billed=1000000,
            priority="BATCH",
            labels={"team": "x"},  # NOT serialized: lives outside to_api_repr()["query"]
            dry_run=True,  # NOT serialized: lives outside to_api_repr()["query"]
            default_dataset="myproj.mydataset",
            destination="myproj.mydataset.mytable",
            write_disposition="WRITE_TRUNCATE",
            query_parameters=[ScalarQueryParameter("version", "INT64", 1)],
        ),
    ),
    output_structured_dataset_type=StructuredDataset,
)
