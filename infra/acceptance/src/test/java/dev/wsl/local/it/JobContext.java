package dev.wsl.local.it;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.util.UUID;
import java.util.function.LongSupplier;

/** A Lambda context for invoking a job's handler directly, with the time it has left under the test's control. */
final class JobContext {
    private JobContext() {}

    static Context of(String function, LongSupplier remainingMillis) {
        return new Context() {
            @Override public String getAwsRequestId() { return UUID.randomUUID().toString(); }
            @Override public String getLogGroupName() { return "/aws/lambda/" + function; }
            @Override public String getLogStreamName() { return "test"; }
            @Override public String getFunctionName() { return function; }
            @Override public String getFunctionVersion() { return "$LATEST"; }
            @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:123456789012:function:" + function; }
            @Override public CognitoIdentity getIdentity() { return null; }
            @Override public ClientContext getClientContext() { return null; }
            @Override public int getRemainingTimeInMillis() { return (int) remainingMillis.getAsLong(); }
            @Override public int getMemoryLimitInMB() { return 1024; }
            @Override public LambdaLogger getLogger() { return null; }
        };
    }
}
