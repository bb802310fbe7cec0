"""Partition-sized Queries for the moto launcher (serve.py); see install_partition_queries."""

import moto


def install_partition_queries():
    """Makes a Query read its partition (or its index bucket) instead of sorting the whole table.

    moto answers every Query by sorting every item of the table (``Table.all_items()``) and then
    walking that list from the start; DynamoDB reads just the page from the partition. So locally a
    workspace's members page got slower with every item of every other workspace, and a page deep in a
    large partition with its position in it: latencies that say nothing about the design. Here a
    base-table Query gets only its partition's items, trimmed by binary search to its key condition
    (``begins_with``, comparisons, ``BETWEEN``), its ExclusiveStartKey and its Limit (plus the partition's next
    item, from which moto decides to set LastEvaluatedKey); an index Query gets only the items whose index hash key matches. moto
    then answers from that subset with its own code, so answers are unchanged. The sorted partitions and
    index buckets are cached until the next write (any write: a generation counter).

    Only valid because SerialisingMiddleware runs one request at a time. Falls back to moto's own path for
    whatever it does not recognise (binary keys, numbers as range keys, the old comparison form).
    """
    if not moto.__version__.startswith("5."):
        return False
    import bisect
    import moto.dynamodb.models as ddb
    from moto.dynamodb.models.table import Table

    state = {"generation": 0}
    partitions = {}  # (table, hash value) -> (generation, keys, items) sorted by range key
    buckets = {}  # (table, index attribute) -> (generation, {value: [items]})

    def written():
        state["generation"] += 1

    def wrap(owner, name):
        original = getattr(owner, name)

        def wrapper(*args, **kwargs):
            try:
                return original(*args, **kwargs)
            finally:
                written()

        setattr(owner, name, wrapper)

    for owner, name in ((Table, "put_item"), (Table, "delete_item"), (ddb.DynamoDBBackend, "update_item"),
                        (ddb.DynamoDBBackend, "transact_write_items"), (ddb.DynamoDBBackend, "batch_write_item")):
        wrap(owner, name)

    def string_value(value):
        if isinstance(value, dict) and set(value) == {"S"}:
            return value["S"]
        if getattr(value, "type", None) == "S":
            return value.value
        return None

    def sorted_partition(table, hash_key):
        cache_key = (table.name, hash_key)
        cached = partitions.get(cache_key)
        if cached is not None and cached[0] == state["generation"]:
            return cached
        bucket = table.items.get(hash_key, {})
        items = list(bucket.values())
        if any(getattr(item.range_key, "type", None) != "S" for item in items):
            return None
        items.sort(key=lambda item: item.range_key.value)
        cached = (state["generation"], [item.range_key.value for item in items], items)
        partitions[cache_key] = cached
        return cached

    def window(table, hash_key, comparison, values, start_key, forward, limit):
        cached = sorted_partition(table, hash_key)
        if cached is None:
            return None
        _, keys, items = cached
        lo, hi = 0, len(keys)
        bounds = [string_value(v) for v in values]
        if any(b is None for b in bounds):
            return None
        if comparison is None:
            pass
        elif comparison == "BEGINS_WITH":
            lo, hi = bisect.bisect_left(keys, bounds[0]), bisect.bisect_left(keys, bounds[0] + "\U0010ffff")
        elif comparison in ("=", "EQ"):
            lo, hi = bisect.bisect_left(keys, bounds[0]), bisect.bisect_right(keys, bounds[0])
        elif comparison in (">", "GT"):
            lo = bisect.bisect_right(keys, bounds[0])
        elif comparison in (">=", "GE"):
            lo = bisect.bisect_left(keys, bounds[0])
        elif comparison in ("<", "LT"):
            hi = bisect.bisect_left(keys, bounds[0])
        elif comparison in ("<=", "LE"):
            hi = bisect.bisect_right(keys, bounds[0])
        elif comparison == "BETWEEN":
            lo, hi = bisect.bisect_left(keys, bounds[0]), bisect.bisect_right(keys, bounds[1])
        else:
            return None
        if start_key:
            start = string_value(start_key.get(table.range_key_attr))
            if start is None:
                return None
            if forward is False:
                hi = min(hi, bisect.bisect_left(keys, start))
            else:
                lo = max(lo, bisect.bisect_right(keys, start))
        if lo >= hi:
            return []
        if limit:
            # One item more than the page, whatever it is: moto's own path sets LastEvaluatedKey when its page is
            # full and any item of the partition follows (as DynamoDB, which stops at Limit without looking ahead),
            # even one outside the key condition.
            if forward is False:
                lo = max(0, max(lo, hi - limit) - 1)
            else:
                hi = min(len(keys), min(hi, lo + limit) + 1)
        return items[lo:hi]

    def index_bucket(table, attribute, value):
        wanted = string_value(value)
        if wanted is None:
            return None
        cache_key = (table.name, attribute)
        cached = buckets.get(cache_key)
        if cached is None or cached[0] != state["generation"]:
            by_value = {}
            for hash_set in table.items.values():
                for item in (hash_set.values() if table.range_key_attr else [hash_set]):
                    found = string_value(item.attrs.get(attribute))
                    if found is not None:
                        by_value.setdefault(found, []).append(item)
            cached = (state["generation"], by_value)
            buckets[cache_key] = cached
        return cached[1].get(wanted, [])

    original_query = Table.query

    def query(self, hash_key, range_comparison, range_objs, limit, exclusive_start_key, scan_index_forward,
              projection_expressions, index_name=None, consistent_read=False, filter_expression=None,
              hash_key_conditions=None, range_key_conditions=None, **filter_kwargs):
        subset = None
        if hash_key is not None and not filter_kwargs:
            if index_name is None and self.range_key_attr and not (range_key_conditions and len(range_key_conditions) > 1):
                subset = window(self, hash_key, range_comparison, range_objs, exclusive_start_key,
                                scan_index_forward, limit)
            elif index_name is not None and hash_key_conditions and len(hash_key_conditions) == 1:
                subset = index_bucket(self, hash_key_conditions[0][0], hash_key_conditions[0][1])
        if subset is not None:
            self.all_items = lambda: list(subset)  # shadows the method for this one call (requests are serialised)
        try:
            return original_query(self, hash_key, range_comparison, range_objs, limit, exclusive_start_key,
                                  scan_index_forward, projection_expressions, index_name, consistent_read,
                                  filter_expression, hash_key_conditions=hash_key_conditions,
                                  range_key_conditions=range_key_conditions, **filter_kwargs)
        finally:
            if subset is not None:
                del self.all_items

    Table.query = query
    return True
