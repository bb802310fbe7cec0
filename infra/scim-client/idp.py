"""An identity provider's side of SCIM, played by a SCIM client library written by others.

Drives a SCIM 2.0 endpoint with scim2-client (and its models, scim2-models), as installed from PyPI
by infra/env.sh (wsl_scim_client), over HTTP with httpx2. The integration tests run one step per
process and check what it did to the workspace; the scale bench runs the `bulk-…` steps.

    SCIM_BASE_URL=http://127.0.0.1:3000/scim/v2 SCIM_TOKEN=scim-... python idp.py STEP [ARGS...]

Steps (each prints one JSON object on its last line):
    discover                         ServiceProviderConfig, ResourceTypes, Schemas
    create USERNAME EMAIL            create a user; prints its id
    find USERNAME                    filter userName eq; prints the ids found
    find-email EMAIL                 filter emails[type eq "work"].value eq
    rename ID DISPLAYNAME            PATCH replace displayName
    active ID true|false             PATCH replace active
    group NAME                       filter displayName eq; prints the group's id and member count
    add GROUPID ID...                PATCH add members
    remove GROUPID ID...             PATCH remove members
    delete ID                        DELETE the user
    bulk-create PREFIX N IDSFILE     create N users (timed per 100), their ids into IDSFILE
    bulk-add GROUPNAME IDSFILE M     add the first M of them to the group, 100 per PATCH
    bulk-find PREFIX N               N filter lookups by userName
The token never leaves the Authorization header; nothing here prints it.
"""
import json
import os
import sys
import time

from httpx2 import Client
from scim2_client import SCIMResponseException
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_models import PatchOp, PatchOperation, SCIMException, SearchRequest


def client():
    http = Client(base_url=os.environ["SCIM_BASE_URL"],
                  headers={"Authorization": "Bearer " + os.environ["SCIM_TOKEN"]}, timeout=120)
    scim = SyncSCIMClient(http)
    scim.discover()
    return scim


def user(model, user_name, email, given, family):
    """A user as an IdP sends it, validated by the model the client built from the server's Schemas."""
    return model.model_validate({"userName": user_name, "name": {"givenName": given, "familyName": family},
                                 "emails": [{"value": email, "type": "work", "primary": True}], "active": True})


def out(**fields):
    print(json.dumps(fields, default=str), flush=True)


def error_of(exc):
    if isinstance(exc, SCIMException):
        e = exc.to_error()
        return {"ok": False, "status": e.status, "scimType": e.scim_type, "detail": e.detail}
    return {"ok": False, "error": type(exc).__name__, "detail": str(exc)}


def main(argv):
    step, args = argv[0], argv[1:]
    scim = client()
    User = scim.get_resource_model("User")
    Group = scim.get_resource_model("Group")
    try:
        if step == "discover":
            config = scim.provider.config
            out(ok=True, patch=config.patch.supported, bulk=config.bulk.supported,
                filter=config.filter.supported, max_results=config.filter.max_results,
                sort=config.sort.supported, etag=config.etag.supported,
                change_password=config.change_password.supported,
                resource_types=sorted(t.id for t in scim.provider.resource_types),
                user_attributes=sorted(User.model_fields), group_attributes=sorted(Group.model_fields))
        elif step == "create":
            created = scim.create(user(User, args[0], args[1], "Grace", "Hopper"))
            out(ok=True, id=created.id, user_name=created.user_name, active=created.active,
                email=created.emails[0].value)
        elif step == "find":
            found = scim.query(User, query_parameters=SearchRequest(filter=f'userName eq "{args[0]}"'))
            out(ok=True, total=found.total_results, ids=[u.id for u in (found.resources or [])])
        elif step == "find-email":
            found = scim.query(User, query_parameters=SearchRequest(
                filter=f'emails[type eq "work"].value eq "{args[0]}"'))
            out(ok=True, total=found.total_results, ids=[u.id for u in (found.resources or [])])
        elif step == "rename":
            patched = scim.modify(User, args[0], PatchOp[User](operations=[
                PatchOperation[User](op="replace", path="displayName", value=args[1])]))
            out(ok=True, display_name=patched.display_name if patched else None)
        elif step == "active":
            patched = scim.modify(User, args[0], PatchOp[User](operations=[
                PatchOperation[User](op="replace", path="active", value=args[1] == "true")]))
            out(ok=True, active=patched.active if patched else None)
        elif step == "group":
            found = scim.query(Group, query_parameters=SearchRequest(filter=f'displayName eq "{args[0]}"'))
            groups = found.resources or []
            out(ok=True, total=found.total_results, id=groups[0].id if groups else None,
                members=len(groups[0].members or []) if groups else None)
        elif step in ("add", "remove"):
            members = [{"value": i} for i in args[1:]]
            scim.modify(Group, args[0], PatchOp[Group](operations=[
                PatchOperation[Group](op=step, path="members", value=members)]))
            out(ok=True)
        elif step == "delete":
            scim.delete(User, args[0])
            out(ok=True)
        elif step == "bulk-create":
            prefix, users, ids_file = args[0], int(args[1]), args[2]
            ids, per_hundred, started = [], [], time.monotonic()
            for i in range(users):
                email = f"{prefix}-{i}@example.com"
                ids.append(scim.create(user(User, email, email, "User", str(i))).id)
                if (i + 1) % 100 == 0:
                    per_hundred.append(round(time.monotonic() - started, 2))
                    started = time.monotonic()
            with open(ids_file, "w") as f:
                f.write("\n".join(ids))
            out(ok=True, created=len(ids), seconds_per_100_users=per_hundred)
        elif step == "bulk-add":
            group_name, ids_file, members = args[0], args[1], int(args[2])
            ids = open(ids_file).read().split()[:members]
            group = scim.query(Group, query_parameters=SearchRequest(filter=f'displayName eq "{group_name}"'))
            gid = group.resources[0].id
            started = time.monotonic()
            for start in range(0, len(ids), 100):
                chunk = [{"value": i} for i in ids[start:start + 100]]
                scim.modify(Group, gid, PatchOp[Group](operations=[
                    PatchOperation[Group](op="add", path="members", value=chunk)]))
            out(ok=True, added=len(ids), seconds=round(time.monotonic() - started, 2))
        elif step == "bulk-find":
            prefix, lookups = args[0], int(args[1])
            started, found = time.monotonic(), 0
            for i in range(lookups):
                result = scim.query(User, query_parameters=SearchRequest(filter=f'userName eq "{prefix}-{i}@example.com"'))
                found += result.total_results
            out(ok=True, lookups=lookups, found=found, seconds=round(time.monotonic() - started, 2))
        else:
            out(ok=False, error="unknown step " + step)
            return 2
    except (SCIMException, SCIMResponseException) as exc:
        out(**error_of(exc))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
