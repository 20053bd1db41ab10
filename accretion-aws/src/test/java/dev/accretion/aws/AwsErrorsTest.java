package dev.accretion.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.lambda.model.CodeStorageExceededException;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.ServiceException;
import software.amazon.awssdk.services.lambda.model.TooManyRequestsException;

class AwsErrorsTest {
  private static LambdaException lambda(LambdaException.Builder b, int status, String code) {
    return (LambdaException)
        b.statusCode(status)
            .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("m").build())
            .build();
  }

  @Test
  void classify_throttlingIsSafeToResend() {
    assertThat(
            AwsErrors.classify(
                lambda(TooManyRequestsException.builder(), 429, "TooManyRequestsException")))
        .isEqualTo(AwsErrors.Kind.THROTTLED);
  }

  @Test
  void classify_serverErrorsAndClientSideFailuresAreAmbiguous() {
    assertThat(AwsErrors.classify(lambda(ServiceException.builder(), 500, "ServiceException")))
        .isEqualTo(AwsErrors.Kind.AMBIGUOUS);
    assertThat(AwsErrors.classify(SdkClientException.create("Connection reset")))
        .isEqualTo(AwsErrors.Kind.AMBIGUOUS);
    assertThat(AwsErrors.classify(ApiCallAttemptTimeoutException.create(1000)))
        .isEqualTo(AwsErrors.Kind.AMBIGUOUS);
  }

  @Test
  void classify_clientErrorsAreDefinite() {
    assertThat(
            AwsErrors.classify(
                lambda(
                    CodeStorageExceededException.builder(), 400, "CodeStorageExceededException")))
        .isEqualTo(AwsErrors.Kind.DEFINITE);
  }

  @Test
  void message_namesTheCodeAndTheServiceText() {
    assertThat(AwsErrors.message(lambda(ServiceException.builder(), 500, "ServiceException")))
        .isEqualTo("ServiceException: m");
  }

  @Test
  void backoff_growsAndStaysWithinTheCap() {
    Duration base = Duration.ofMillis(100);
    for (int attempt = 1; attempt < 30; attempt++) {
      Duration d = AwsErrors.backoff(base, attempt);
      assertThat(d).isBetween(Duration.ofMillis(50), Duration.ofMillis(50 + 5000));
    }
  }

  @Test
  void message_ofAccretionsOwnStepFailureIsItsTextWithoutTheClassName() {
    assertThat(AwsErrors.message(new IllegalStateException("staging bucket x is taken")))
        .isEqualTo("staging bucket x is taken");
  }
}
