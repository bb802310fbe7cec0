package dev.wsl.local.archfixture.domain;

import com.amazonaws.services.lambda.runtime.Context;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** A "domain" type that leaks SDK and Lambda types: ArchitectureTest proves its domain rule refuses it. */
public record LeakyRecord(AttributeValue value, Context context) {}
