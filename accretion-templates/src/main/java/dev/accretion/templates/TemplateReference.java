package dev.accretion.templates;

import java.util.Objects;

/**
 * One place in a template that names a Lambda layer version: a layer version ARN ({@code
 * arn:aws:lambda:us-east-1:123456789012:layer:deps:4}, also with {@code Fn::Sub} variables such as
 * {@code ${AWS::Region}} in the partition, region and account) or an Accretion placeholder ({@code
 * {{accretion:deps}}}). {@code start} and {@code end} are the char offsets of {@code text} in the
 * template; {@code line} and {@code column} are 1-based, for messages. For a placeholder the ARN
 * fields hold the placeholder's parts: {@code layerName} the name, {@code runtime} and {@code
 * architecture} the optional target, the others null. Immutable.
 */
public record TemplateReference(
    Kind kind,
    int start,
    int end,
    int line,
    int column,
    String text,
    String partition,
    String region,
    String account,
    String layerName,
    String version,
    String runtime,
    String architecture) {
  /** What the reference is. */
  public enum Kind {
    /** A layer version ARN. */
    ARN,
    /** A {@code {{accretion:NAME}}} placeholder. */
    PLACEHOLDER
  }

  /** The variable {@code Fn::Sub} replaces with the stack's region. */
  public static final String SUB_REGION = "${AWS::Region}";

  /** The variable {@code Fn::Sub} replaces with the stack's account. */
  public static final String SUB_ACCOUNT = "${AWS::AccountId}";

  public TemplateReference {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(layerName, "layerName");
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("bad range " + start + ".." + end);
    }
  }

  /** Whether the region is the stack's own ({@code ${AWS::Region}}, or any placeholder). */
  public boolean regionIsTheStacks() {
    return kind == Kind.PLACEHOLDER || SUB_REGION.equals(region);
  }

  /** Whether the account is the stack's own ({@code ${AWS::AccountId}}). */
  public boolean accountIsTheStacks() {
    return SUB_ACCOUNT.equals(account);
  }

  /** Whether a part holds an {@code Fn::Sub} variable. */
  static boolean isVariable(String part) {
    return part != null && part.startsWith("${");
  }

  /**
   * This ARN's text with another version number, every other character kept (variables too).
   *
   * @throws IllegalStateException for a placeholder
   */
  public String withVersion(long newVersion) {
    if (kind != Kind.ARN) {
      throw new IllegalStateException("not an ARN: " + text);
    }
    return text.substring(0, text.length() - version.length()) + newVersion;
  }

  /** {@code 12:7}, for messages. */
  public String position() {
    return line + ":" + column;
  }
}
