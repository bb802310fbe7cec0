package dev.wsl.core.domain;

/**
 * One of a user's ACTIVE memberships, as their own list of workspaces shows it: the workspace
 * (id and name), their member id there, and what they may do.
 */
public record Membership(String workspaceId, String workspaceName, String memberId, Access access) {}
