package dev.accretion.templates;

import dev.accretion.core.AccretionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Decides, for every reference of a template ({@link TemplateScanner}), whether it is up to date,
 * and rewrites the text ({@link TemplateRewriter}) so that every layer version ARN of a layer
 * Accretion manages names that layer's latest matching version, and every {@code
 * {{accretion:NAME}}} placeholder names the layer's latest ARN. Nothing else changes.
 *
 * <p>Rules for an ARN: its region is its own, or the stack's ({@code ${AWS::Region}}) which is the
 * region given; a region, account or name that is another {@code Fn::Sub} variable cannot be known
 * and is left alone; an ARN of another account, or of a layer Accretion does not manage there, is
 * left alone. The latest matching version is the newest version serving every runtime and
 * architecture the referenced version serves (the newest version when the referenced one is gone).
 * Not thread-safe (it asks one {@link LayerVersions}).
 */
public final class TemplateUpdater {
  /** What became of one reference. */
  public enum Status {
    /** Replaced (or, when checking, would be). */
    UPDATED("updated"),
    /** Already the latest matching version. */
    CURRENT("current"),
    /** An ARN of another account: left alone. */
    OTHER_ACCOUNT("other-account"),
    /** A layer Accretion does not manage in that region: left alone. */
    UNMANAGED("unmanaged"),
    /** Its region, account or name is an Fn::Sub variable that cannot be known: left alone. */
    UNKNOWN("unknown"),
    /** A placeholder with no layer version to stand for: left alone, the run fails. */
    FAILED("failed");

    private final String word;

    Status(String word) {
      this.word = word;
    }

    /** The word in reports and JSON. */
    public String word() {
      return word;
    }
  }

  /**
   * One reference's outcome: {@code replacement} is the new text (null when unchanged), {@code
   * region} the region it was looked up in (null when not), {@code note} says why it was left
   * alone.
   */
  public record Outcome(
      TemplateReference reference, Status status, String replacement, String region, String note) {
    public Outcome {
      Objects.requireNonNull(reference, "reference");
      Objects.requireNonNull(status, "status");
    }
  }

  /** The stack's region, asked only when a reference needs it. */
  public interface StackRegion {
    String get() throws AccretionException;
  }

  /** A template's outcomes and its new text (the same text when nothing changed). */
  public record FileUpdate(String source, List<Outcome> outcomes, String original, String updated) {
    public FileUpdate {
      outcomes = List.copyOf(outcomes);
    }

    /** Whether the text changes. */
    public boolean changed() {
      return !original.equals(updated);
    }

    /** Whether a placeholder could not be resolved. */
    public boolean failed() {
      return outcomes.stream().anyMatch(o -> o.status() == Status.FAILED);
    }
  }

  private final LayerVersions layers;

  public TemplateUpdater(LayerVersions layers) {
    this.layers = Objects.requireNonNull(layers, "layers");
  }

  /**
   * The outcomes and the new text of one template.
   *
   * @throws AccretionException when the text is not a template ({@link TemplateScanner#scan}), the
   *     stack's region is needed and unknown, or AWS cannot be asked
   */
  public FileUpdate update(String text, String source, StackRegion stackRegion)
      throws AccretionException {
    List<Outcome> outcomes = new ArrayList<>();
    List<TemplateRewriter.Edit> edits = new ArrayList<>();
    for (TemplateReference ref : TemplateScanner.scan(text, source)) {
      Outcome o =
          ref.kind() == TemplateReference.Kind.PLACEHOLDER
              ? placeholder(ref, stackRegion)
              : arn(ref, stackRegion);
      outcomes.add(o);
      if (o.replacement() != null) {
        edits.add(new TemplateRewriter.Edit(ref.start(), ref.end(), o.replacement()));
      }
    }
    return new FileUpdate(source, outcomes, text, TemplateRewriter.apply(text, edits));
  }

  private Outcome placeholder(TemplateReference ref, StackRegion stackRegion)
      throws AccretionException {
    String region = stackRegion.get();
    try {
      String arn =
          layers.placeholderArn(region, ref.layerName(), ref.runtime(), ref.architecture());
      return new Outcome(ref, Status.UPDATED, arn, region, null);
    } catch (AccretionException e) {
      return new Outcome(ref, Status.FAILED, null, region, e.getMessage());
    }
  }

  private Outcome arn(TemplateReference ref, StackRegion stackRegion) throws AccretionException {
    String region;
    if (ref.regionIsTheStacks()) {
      region = stackRegion.get();
    } else if (TemplateReference.isVariable(ref.region())) {
      return new Outcome(
          ref,
          Status.UNKNOWN,
          null,
          null,
          "the region " + ref.region() + " is not known before deployment");
    } else {
      region = ref.region();
    }
    if (TemplateReference.isVariable(ref.layerName())) {
      return new Outcome(
          ref,
          Status.UNKNOWN,
          null,
          region,
          "the layer name " + ref.layerName() + " is not known before deployment");
    }
    if (!ref.accountIsTheStacks()) {
      if (TemplateReference.isVariable(ref.account())) {
        return new Outcome(
            ref,
            Status.UNKNOWN,
            null,
            region,
            "the account " + ref.account() + " is not known before deployment");
      }
      String ours = layers.account(region);
      if (!ref.account().equals(ours)) {
        return new Outcome(
            ref,
            Status.OTHER_ACCOUNT,
            null,
            region,
            "a layer of account " + ref.account() + ", not of " + ours);
      }
    }
    List<LayerVersions.Version> versions = layers.managedVersions(region, ref.layerName());
    if (versions.isEmpty()) {
      return new Outcome(
          ref,
          Status.UNMANAGED,
          null,
          region,
          "Accretion manages no layer " + ref.layerName() + " in " + region);
    }
    long current = Long.parseLong(ref.version());
    LayerVersions.Version referenced =
        versions.stream().filter(v -> v.version() == current).findFirst().orElse(null);
    LayerVersions.Version latest =
        referenced == null
            ? versions.get(0)
            : versions.stream().filter(v -> v.serves(referenced)).findFirst().orElse(referenced);
    if (latest.version() == current) {
      return new Outcome(ref, Status.CURRENT, null, region, null);
    }
    return new Outcome(ref, Status.UPDATED, ref.withVersion(latest.version()), region, null);
  }
}
