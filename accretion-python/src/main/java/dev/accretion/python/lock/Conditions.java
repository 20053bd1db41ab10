package dev.accretion.python.lock;

import dev.accretion.python.ParseException;
import dev.accretion.python.pep440.SpecifierSet;
import dev.accretion.python.pep440.Version;
import dev.accretion.python.pep508.MarkerEvaluationException;
import java.util.ArrayList;
import java.util.List;

/** Factories for the {@link LockCondition}s the readers build. */
final class Conditions {
  private Conditions() {}

  /** A marker in a lock's dialect (see {@link LockMarker}); null or blank text means always. */
  static LockCondition marker(String text, boolean extraIsSet) throws ParseException {
    if (text == null || text.isBlank()) {
      return LockCondition.ALWAYS;
    }
    LockMarker marker = LockMarker.parse(text);
    return new LockCondition() {
      @Override
      public boolean holds(Context c) throws LockConditionException {
        try {
          return marker.evaluate(c.environment(), c.extra(), extraIsSet, c.extras(), c.groups());
        } catch (MarkerEvaluationException e) {
          throw new LockConditionException(e.getMessage(), e);
        }
      }

      @Override
      public String describe() {
        return marker.toString();
      }
    };
  }

  /** A Poetry {@code python = "..."} constraint on a dependency. */
  static LockCondition poetryPython(String text) throws ParseException {
    PoetryConstraint constraint = PoetryConstraint.parse(text);
    return new LockCondition() {
      @Override
      public boolean holds(Context c) {
        return constraint.allowsPython(
            Version.tryParse(c.pythonVersion()).orElseThrow(),
            Version.tryParse(c.pythonFullVersion()).orElseThrow());
      }

      @Override
      public String describe() {
        return "python " + text;
      }
    };
  }

  /** A PEP 440 Requires-Python specifier, checked against the full Python version. */
  static LockCondition requiresPython(String text) throws ParseException {
    if (text == null || text.isBlank()) {
      return LockCondition.ALWAYS;
    }
    SpecifierSet spec = SpecifierSet.parse(text);
    return new LockCondition() {
      @Override
      public boolean holds(Context c) {
        return spec.contains(Version.tryParse(c.pythonFullVersion()).orElseThrow(), Boolean.TRUE);
      }

      @Override
      public String describe() {
        return text.strip();
      }
    };
  }

  /** Both conditions. */
  static LockCondition and(LockCondition a, LockCondition b) {
    if (a == LockCondition.ALWAYS) {
      return b;
    }
    if (b == LockCondition.ALWAYS) {
      return a;
    }
    return new LockCondition() {
      @Override
      public boolean holds(Context c) throws LockConditionException {
        return a.holds(c) & b.holds(c);
      }

      @Override
      public String describe() {
        return "(" + a.describe() + ") and (" + b.describe() + ")";
      }
    };
  }

  /** Any of the conditions (none: never). */
  static LockCondition any(List<LockCondition> conditions) {
    List<LockCondition> all = new ArrayList<>(conditions);
    if (all.contains(LockCondition.ALWAYS)) {
      return LockCondition.ALWAYS;
    }
    if (all.size() == 1) {
      return all.get(0);
    }
    return new LockCondition() {
      @Override
      public boolean holds(Context c) throws LockConditionException {
        for (LockCondition condition : all) {
          if (condition.holds(c)) {
            return true;
          }
        }
        return false;
      }

      @Override
      public String describe() {
        List<String> parts = new ArrayList<>();
        for (LockCondition condition : all) {
          parts.add("(" + condition.describe() + ")");
        }
        return String.join(" or ", parts);
      }
    };
  }
}
