package dev.wsl.core.domain;

/** A person with an account, created on their first accepted invitation or first workspace. */
public record UserProfile(String userId, EmailAddress email, String username) {}
