package dev.wsl.core.domain;

/** INVITED → ACTIVE → REMOVED, and REMOVED → INVITED on a new invitation. */
public enum MemberStatus {
    INVITED,
    ACTIVE,
    REMOVED
}
