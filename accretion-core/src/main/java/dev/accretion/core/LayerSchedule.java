package dev.accretion.core;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A layer's rebuild schedule, in UTC: {@code daily} (00:00), {@code weekly} (Monday 00:00), {@code
 * monthly} (the 1st, 00:00), or a cron expression of five fields ({@code minute hour day-of-month
 * month day-of-week}) or six (seconds first). Fields take {@code *}, numbers, names ({@code
 * JAN}..{@code DEC}, {@code SUN}..{@code SAT}), ranges {@code a-b}, steps {@code /n} and lists
 * {@code a,b}; {@code ?} stands for {@code *} in the day fields. Immutable.
 *
 * @param text the schedule as written
 * @param cron the same as a six-field cron expression (seconds first), the form the job runner
 *     takes
 */
public record LayerSchedule(String text, String cron) {
  private static final Map<String, String> NAMED =
      Map.of("daily", "0 0 0 * * *", "weekly", "0 0 0 * * MON", "monthly", "0 0 0 1 * *");
  private static final List<String> FIELD_NAMES =
      List.of("second", "minute", "hour", "day-of-month", "month", "day-of-week");
  private static final int[][] BOUNDS = {{0, 59}, {0, 59}, {0, 23}, {1, 31}, {1, 12}, {0, 7}};
  private static final List<String> MONTHS =
      List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
  private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");

  /** The advice every schedule error carries. */
  public static final String ADVICE =
      "write daily, weekly, monthly, or a cron expression in UTC such as \"0 3 * * *\" (03:00"
          + " every day) or \"0 0 3 * * MON-FRI\" (six fields, seconds first)";

  /**
   * Reads a schedule.
   *
   * @throws AccretionException a usage failure naming the field that is wrong and why
   */
  public static LayerSchedule parse(String text) throws AccretionException {
    if (text == null || text.isBlank()) {
      throw usage("the schedule is empty");
    }
    String t = text.strip();
    String named = NAMED.get(t.toLowerCase(Locale.ROOT));
    if (named != null) {
      return new LayerSchedule(t, named);
    }
    if (t.length() > 200) {
      throw usage("the schedule is over 200 characters");
    }
    String[] fields = t.split("\\s+");
    if (fields.length != 5 && fields.length != 6) {
      throw usage(
          "'"
              + printable(t)
              + "' is neither daily, weekly, monthly nor a cron expression of 5 or 6 fields"
              + " (it has "
              + fields.length
              + ")");
    }
    String[] six = new String[6];
    if (fields.length == 5) {
      six[0] = "0";
      System.arraycopy(fields, 0, six, 1, 5);
    } else {
      six = fields;
    }
    for (int i = 0; i < 6; i++) {
      checkField(i, six[i].toUpperCase(Locale.ROOT));
    }
    return new LayerSchedule(t, String.join(" ", six).toUpperCase(Locale.ROOT));
  }

  private static void checkField(int index, String field) throws AccretionException {
    for (String item : field.split(",", -1)) {
      String range = item;
      int slash = item.indexOf('/');
      if (slash >= 0) {
        range = item.substring(0, slash);
        String step = item.substring(slash + 1);
        if (!step.matches("\\d{1,2}") || Integer.parseInt(step) == 0) {
          throw bad(index, field, "the step after '/' must be a number from 1");
        }
      }
      if (range.equals("*") || (range.equals("?") && (index == 3 || index == 5))) {
        continue;
      }
      String[] ends = range.split("-", -1);
      if (ends.length > 2) {
        throw bad(index, field, "'" + item + "' is not a value, a range a-b or *");
      }
      int low = value(index, field, ends[0]);
      if (ends.length == 2 && value(index, field, ends[1]) < low) {
        throw bad(index, field, "the range '" + range + "' runs backwards");
      }
    }
  }

  private static int value(int index, String field, String v) throws AccretionException {
    if (index == 4 && MONTHS.contains(v)) {
      return MONTHS.indexOf(v) + 1;
    }
    if (index == 5 && DAYS.contains(v)) {
      return DAYS.indexOf(v);
    }
    if (!v.matches("\\d{1,2}")) {
      throw bad(index, field, "'" + printable(v) + "' is not a number" + names(index));
    }
    int n = Integer.parseInt(v);
    if (n < BOUNDS[index][0] || n > BOUNDS[index][1]) {
      throw bad(
          index,
          field,
          n + " is out of range " + BOUNDS[index][0] + "-" + BOUNDS[index][1] + names(index));
    }
    return n;
  }

  private static String names(int index) {
    return index == 4 ? " or JAN..DEC" : index == 5 ? " or SUN..SAT" : "";
  }

  private static AccretionException bad(int index, String field, String why) {
    return usage(FIELD_NAMES.get(index) + " field '" + printable(field) + "': " + why);
  }

  private static AccretionException usage(String problem) {
    return new AccretionException(FailureKind.USAGE, "invalid schedule: " + problem, ADVICE, null);
  }

  private static String printable(String s) {
    return s.replaceAll("\\p{Cntrl}", "?");
  }
}
