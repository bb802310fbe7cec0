package dev.wsl.core.domain;

/**
 * What an authenticated user may do in one workspace: present only while their
 * membership is ACTIVE. Read with a single consistent GetItem on every request.
 */
public record Grant(String workspaceId, String userId, String memberId, Access access) {}
