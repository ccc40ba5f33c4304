"""moto_server, as backend/local/moto.ts starts it: the same server, with AWS managed policies made when needed.

With MOTO_IAM_LOAD_MANAGED_POLICIES=true, moto builds every AWS managed policy (about 1,500, parsed from a
4 MB JSON text) whenever it creates an IAM backend. It creates one per account and partition (six of
them) as soon as a request's access key is looked up, so the first calls of a test build them dozens of
times, and every reset (POST /moto-api/reset) builds them again for each one before dropping it: seconds
per test. Here:
  - an IAM backend makes its AWS managed policies on first use (most of them never use them);
  - they are built once per partition and each account gets its own copies (its own attachment counts,
    versions, tags and policy id, as before), which takes milliseconds.
Every AWS managed policy still exists in every account, with moto's name, path, document and dates.

DynamoDB applies a write and its condition as one step; moto checks the condition, then writes, with no
lock, and moto_server answers requests on many threads. Two conditional writes racing on one item can
then both pass, which DynamoDB never allows (the state table's counters and state changes rely on it).
Here every DynamoDB write runs under one lock, as in DynamoDB.

moto answers a Query of the table (not of its index) by sorting every item of the table and keeping those
of the partition asked for: a query costs time in proportion to the whole table, where DynamoDB's costs
what the partition holds. The access report queries each person's last uses, so over a table of 5,000
people's items it took 350 ms a person. Here a Query of the table reads its partition only.

Arguments are moto_server's own. If this Python cannot import moto, it exits with MOTO_MISSING so that
moto.ts can start moto_server itself.
"""

import functools
import inspect
import sys
import threading

MOTO_MISSING = 3

try:
    from moto.iam.models import IAMBackend
    from moto.iam.utils import random_policy_id
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.table import Table
    from moto.server import main
except ImportError as error:
    print(f"switchyard: moto is not importable by {sys.executable}: {error}", file=sys.stderr)
    sys.exit(MOTO_MISSING)

_build_aws_policies = IAMBackend._init_aws_policies
_built_per_partition = {}
_NOT_MADE = object()


def _copy(original, **changes):
    copy = object.__new__(type(original))
    copy.__dict__ = {**original.__dict__, **changes}
    return copy


def _aws_policies_of_account(backend):
    built = _built_per_partition.get(backend.region_name)
    if built is None:
        built = _build_aws_policies(backend)
        if not built:
            return built
        _built_per_partition[backend.region_name] = built
    return [
        _copy(
            policy,
            account_id=backend.account_id,
            id=random_policy_id(),
            tags=dict(policy.tags),
            versions=[_copy(version) for version in policy.versions],
        )
        for policy in built
    ]


def _made_on_first_use(name, make):
    """An attribute that IAMBackend.__init__ sets as before, made by `make` when first read."""
    slot = f"_switchyard_{name}"

    def get(backend):
        value = backend.__dict__.get(slot, _NOT_MADE)
        if value is _NOT_MADE:
            value = backend.__dict__[slot] = make(backend)
        return value

    def set(backend, value):
        backend.__dict__[slot] = value

    return property(get, set)


# Another moto than the one this was written for (5.x builds them in these two methods) runs unchanged.
if all(hasattr(IAMBackend, name) for name in ("_init_aws_policies", "_init_managed_policies")):
    IAMBackend._init_aws_policies = lambda backend: _NOT_MADE
    IAMBackend._init_managed_policies = lambda backend: _NOT_MADE
    IAMBackend.aws_managed_policies = _made_on_first_use("aws_managed_policies", _aws_policies_of_account)
    IAMBackend.managed_policies = _made_on_first_use(
        "managed_policies", lambda backend: {policy.arn: policy for policy in backend.aws_managed_policies}
    )

_DYNAMODB_WRITES = (
    "put_item",
    "update_item",
    "delete_item",
    "batch_write_item",
    "transact_write_items",
    "execute_statement",
    "execute_transaction",
    "batch_execute_statement",
)
_dynamodb_write_lock = threading.RLock()


def _one_at_a_time(write):
    @functools.wraps(write)
    def locked(*args, **kwargs):
        with _dynamodb_write_lock:
            return write(*args, **kwargs)

    return locked


for _name in _DYNAMODB_WRITES:
    if hasattr(DynamoDBBackend, _name):
        setattr(DynamoDBBackend, _name, _one_at_a_time(getattr(DynamoDBBackend, _name)))

_query_of_table = Table.query
_all_items_of_table = Table.all_items
_partition_queried = threading.local()


def _query_reading_its_partition(table, hash_key, *args, **kwargs):
    index_name = args[6] if len(args) > 6 else kwargs.get("index_name")
    if index_name is not None or hash_key is None or not table.range_key_attr:
        return _query_of_table(table, hash_key, *args, **kwargs)
    _partition_queried.key = hash_key
    try:
        return _query_of_table(table, hash_key, *args, **kwargs)
    finally:
        _partition_queried.key = None


def _items_of_partition_queried(table):
    key = getattr(_partition_queried, "key", None)
    if key is None:
        return _all_items_of_table(table)
    return list(table.items[key].values()) if key in table.items else []


# Another moto than the one this was written for (5.x: query's eighth argument is the index name) runs unchanged.
if list(inspect.signature(Table.query).parameters)[1:9] == [
    "hash_key",
    "range_comparison",
    "range_objs",
    "limit",
    "exclusive_start_key",
    "scan_index_forward",
    "projection_expressions",
    "index_name",
] and hasattr(Table, "all_items"):
    Table.query = _query_reading_its_partition
    Table.all_items = _items_of_partition_queried

if __name__ == "__main__":
    main(sys.argv[1:])
