"""Admin APIs of the client: `keys`, `teams`, `spend`, `models` (LiteLLM's `/key/*`, `/team/*`,
`/spend/*`, `/v1/models`, over gRPC). Keyword arguments are the fields of the request message
(an unknown one raises `ValueError`); `metadata`-like JSON fields take plain dicts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ._rpc import DEFAULT, Rpc
from .v1 import directory_pb2, keys_pb2, keys_pb2_grpc, models_pb2, models_pb2_grpc
from .v1 import spend_pb2, spend_pb2_grpc, teams_pb2, teams_pb2_grpc

TeamMemberLike = directory_pb2.TeamMember | dict[str, Any]


class Keys:
    """Virtual keys. The secret is returned once, by `generate()` and `regenerate()`."""

    def __init__(self, rpc: Rpc) -> None:
        self._rpc = rpc
        self._stub = keys_pb2_grpc.KeysServiceStub(rpc.channel)

    def generate(self, *, timeout: float | None = DEFAULT, **fields: Any) -> keys_pb2.Key:
        """A new key (`key.key` is its secret). Fields: `models`, `max_budget`, `team_id`, ..."""
        request = keys_pb2.GenerateKeyRequest(**fields)
        return self._rpc.unary(self._stub.GenerateKey, request, keys_pb2.GenerateKeyResponse, timeout).key

    def update(self, key: str, *, timeout: float | None = DEFAULT, **fields: Any) -> keys_pb2.Key:
        """Changes a key (by secret or hash); unset fields stay, `clear_fields` resets some."""
        request = keys_pb2.UpdateKeyRequest(key=key, **fields)
        return self._rpc.unary(self._stub.UpdateKey, request, keys_pb2.UpdateKeyResponse, timeout).key

    def delete(
        self,
        keys: Sequence[str] = (),
        *,
        key_aliases: Sequence[str] = (),
        timeout: float | None = DEFAULT,
    ) -> list[str]:
        """Deletes keys by secret/hash and/or alias; returns what was deleted."""
        request = keys_pb2.DeleteKeysRequest(keys=list(keys), key_aliases=list(key_aliases))
        response = self._rpc.unary(self._stub.DeleteKeys, request, keys_pb2.DeleteKeysResponse, timeout)
        return list(response.deleted_keys)

    def info(self, key: str | None = None, *, timeout: float | None = DEFAULT) -> keys_pb2.Key:
        """A key's settings and spend (the calling key when `key` is None)."""
        request = keys_pb2.GetKeyInfoRequest(key=key)
        return self._rpc.unary(self._stub.GetKeyInfo, request, keys_pb2.GetKeyInfoResponse, timeout).info

    def list(self, *, timeout: float | None = DEFAULT, **filters: Any) -> keys_pb2.ListKeysResponse:
        """A page of keys. Filters: `page`, `size`, `team_id`, `user_id`, `key_alias`, ..."""
        request = keys_pb2.ListKeysRequest(**filters)
        return self._rpc.unary(self._stub.ListKeys, request, keys_pb2.ListKeysResponse, timeout)

    def regenerate(self, key: str, *, timeout: float | None = DEFAULT, **fields: Any) -> keys_pb2.Key:
        """A new secret for a key (the old one stops working, or after `grace_period`)."""
        request = keys_pb2.RegenerateKeyRequest(key=key, **fields)
        return self._rpc.unary(self._stub.RegenerateKey, request, keys_pb2.RegenerateKeyResponse, timeout).key

    def block(self, key: str, *, timeout: float | None = DEFAULT) -> keys_pb2.Key:
        request = keys_pb2.BlockKeyRequest(key=key)
        return self._rpc.unary(self._stub.BlockKey, request, keys_pb2.BlockKeyResponse, timeout).key

    def unblock(self, key: str, *, timeout: float | None = DEFAULT) -> keys_pb2.Key:
        request = keys_pb2.UnblockKeyRequest(key=key)
        return self._rpc.unary(self._stub.UnblockKey, request, keys_pb2.UnblockKeyResponse, timeout).key


class Teams:
    """Teams and their members."""

    def __init__(self, rpc: Rpc) -> None:
        self._rpc = rpc
        self._stub = teams_pb2_grpc.TeamsServiceStub(rpc.channel)

    def create(self, *, timeout: float | None = DEFAULT, **fields: Any) -> directory_pb2.Team:
        """A new team (LiteLLM's `/team/new`). Fields: `team_id`, `team_alias`, `models`, ..."""
        request = teams_pb2.NewTeamRequest(**fields)
        return self._rpc.unary(self._stub.NewTeam, request, teams_pb2.NewTeamResponse, timeout).team

    def update(self, team_id: str, *, timeout: float | None = DEFAULT, **fields: Any) -> directory_pb2.Team:
        request = teams_pb2.UpdateTeamRequest(team_id=team_id, **fields)
        return self._rpc.unary(self._stub.UpdateTeam, request, teams_pb2.UpdateTeamResponse, timeout).data

    def delete(self, *team_ids: str, timeout: float | None = DEFAULT) -> teams_pb2.DeleteTeamsResponse:
        """Deletes teams and their keys."""
        request = teams_pb2.DeleteTeamsRequest(team_ids=list(team_ids))
        return self._rpc.unary(self._stub.DeleteTeams, request, teams_pb2.DeleteTeamsResponse, timeout)

    def info(self, team_id: str, *, timeout: float | None = DEFAULT) -> teams_pb2.GetTeamInfoResponse:
        request = teams_pb2.GetTeamInfoRequest(team_id=team_id)
        return self._rpc.unary(self._stub.GetTeamInfo, request, teams_pb2.GetTeamInfoResponse, timeout)

    def list(self, *, timeout: float | None = DEFAULT, **filters: Any) -> list[teams_pb2.TeamListEntry]:
        request = teams_pb2.ListTeamsRequest(**filters)
        return list(self._rpc.unary(self._stub.ListTeams, request, teams_pb2.ListTeamsResponse, timeout).teams)

    def add_members(
        self,
        team_id: str,
        members: Sequence[TeamMemberLike],
        *,
        max_budget_in_team: float | None = None,
        timeout: float | None = DEFAULT,
    ) -> teams_pb2.AddTeamMembersResponse:
        """Adds members (`{"user_id": ..., "role": tollgate.TEAM_ROLE_ADMIN}` or `TeamMember`)."""
        member = [m if isinstance(m, directory_pb2.TeamMember) else directory_pb2.TeamMember(**m) for m in members]
        request = teams_pb2.AddTeamMembersRequest(team_id=team_id, member=member, max_budget_in_team=max_budget_in_team)
        return self._rpc.unary(self._stub.AddTeamMembers, request, teams_pb2.AddTeamMembersResponse, timeout)

    def remove_member(
        self,
        team_id: str,
        *,
        user_id: str | None = None,
        user_email: str | None = None,
        timeout: float | None = DEFAULT,
    ) -> directory_pb2.Team:
        request = teams_pb2.RemoveTeamMemberRequest(team_id=team_id, user_id=user_id, user_email=user_email)
        return self._rpc.unary(self._stub.RemoveTeamMember, request, teams_pb2.RemoveTeamMemberResponse, timeout).team

    def update_member(
        self, team_id: str, *, timeout: float | None = DEFAULT, **fields: Any
    ) -> teams_pb2.UpdateTeamMemberResponse:
        """Changes a member's `role` or `max_budget_in_team` (by `user_id` or `user_email`)."""
        request = teams_pb2.UpdateTeamMemberRequest(team_id=team_id, **fields)
        return self._rpc.unary(self._stub.UpdateTeamMember, request, teams_pb2.UpdateTeamMemberResponse, timeout)

    def block(self, team_id: str, *, timeout: float | None = DEFAULT) -> directory_pb2.Team:
        request = teams_pb2.BlockTeamRequest(team_id=team_id)
        return self._rpc.unary(self._stub.BlockTeam, request, teams_pb2.BlockTeamResponse, timeout).team

    def unblock(self, team_id: str, *, timeout: float | None = DEFAULT) -> directory_pb2.Team:
        request = teams_pb2.UnblockTeamRequest(team_id=team_id)
        return self._rpc.unary(self._stub.UnblockTeam, request, teams_pb2.UnblockTeamResponse, timeout).team


class Spend:
    """Spend logs and reports. Records are written in batches: a call shows up within seconds."""

    def __init__(self, rpc: Rpc) -> None:
        self._rpc = rpc
        self._stub = spend_pb2_grpc.SpendServiceStub(rpc.channel)

    def logs(self, *, timeout: float | None = DEFAULT, **filters: Any) -> list[spend_pb2.SpendLog]:
        """One row per call. Filters: `api_key` (secret or hash), `team_id`, `user_id`,
        `request_id`, `start_date`/`end_date`, `page`/`page_size`."""
        request = spend_pb2.GetSpendLogsRequest(**filters)
        return list(self._rpc.unary(self._stub.GetSpendLogs, request, spend_pb2.GetSpendLogsResponse, timeout).logs)

    def tags(self, *, timeout: float | None = DEFAULT, **filters: Any) -> list[spend_pb2.TagSpend]:
        request = spend_pb2.GetSpendTagsRequest(**filters)
        return list(self._rpc.unary(self._stub.GetSpendTags, request, spend_pb2.GetSpendTagsResponse, timeout).tags)

    def total(self, *, timeout: float | None = DEFAULT) -> spend_pb2.GetGlobalSpendResponse:
        """The whole proxy's spend and budget (`/global/spend`)."""
        request = spend_pb2.GetGlobalSpendRequest()
        return self._rpc.unary(self._stub.GetGlobalSpend, request, spend_pb2.GetGlobalSpendResponse, timeout)

    def report(self, *, timeout: float | None = DEFAULT, **filters: Any) -> spend_pb2.GetGlobalSpendReportResponse:
        """Spend per day grouped by `group_by` (`/global/spend/report`)."""
        request = spend_pb2.GetGlobalSpendReportRequest(**filters)
        return self._rpc.unary(
            self._stub.GetGlobalSpendReport, request, spend_pb2.GetGlobalSpendReportResponse, timeout
        )


class Models:
    """The models the key may call."""

    def __init__(self, rpc: Rpc) -> None:
        self._rpc = rpc
        self._stub = models_pb2_grpc.ModelsServiceStub(rpc.channel)

    def list(self, *, timeout: float | None = DEFAULT) -> list[models_pb2.Model]:
        request = models_pb2.ListModelsRequest()
        return list(self._rpc.unary(self._stub.ListModels, request, models_pb2.ListModelsResponse, timeout).data)
