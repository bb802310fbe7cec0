package dev.wsl.core.domain;

import java.time.Instant;

/** @param activeAdmins how many ACTIVE members hold ADMIN; the store never lets it drop below one */
public record Workspace(String workspaceId, String name, Instant createdAt, String createdBy, long activeAdmins) {}
