package dev.accretion.templates;

import dev.accretion.core.AccretionException;
import java.util.List;
import java.util.Objects;

/**
 * What {@link TemplateUpdater} needs to know about published layers; the application answers it
 * from AWS. Implementations may be called from one thread at a time and should remember answers.
 */
public interface LayerVersions {
  /** One version of a Lambda layer. Empty architectures mean x86_64, Lambda's default. */
  record Version(long version, String layerVersionArn, List<String> runtimes, List<String> archs) {
    public Version {
      Objects.requireNonNull(layerVersionArn, "layerVersionArn");
      runtimes = List.copyOf(runtimes);
      archs = List.copyOf(archs);
    }

    List<String> architectures() {
      return archs.isEmpty() ? List.of("x86_64") : archs;
    }

    /** Whether this version serves at least every target {@code other} serves. */
    boolean serves(Version other) {
      return runtimes.containsAll(other.runtimes)
          && architectures().containsAll(other.architectures());
    }
  }

  /** The account of the credentials, the stack's own account, asked in a region. */
  String account(String region) throws AccretionException;

  /**
   * The versions of a Lambda layer Accretion manages in a region of {@link #account}, newest first;
   * empty when there is no such layer or its newest version was not published by Accretion.
   */
  List<Version> managedVersions(String region, String lambdaLayerName) throws AccretionException;

  /**
   * The ARN a {@code {{accretion:NAME}}} placeholder stands for: the newest version of the layer (a
   * project layer's name or a Lambda layer's) serving the target, as {@code accretion arn}.
   *
   * @param runtime the placeholder's runtime, or null
   * @param architecture the placeholder's architecture, or null
   * @throws AccretionException when there is none, saying why
   */
  String placeholderArn(String region, String layer, String runtime, String architecture)
      throws AccretionException;
}
