package dev.accretion.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LayerScheduleTest {
  @Test
  void named_becomeSixFieldCronAtMidnightUtc() throws Exception {
    assertThat(LayerSchedule.parse("daily").cron()).isEqualTo("0 0 0 * * *");
    assertThat(LayerSchedule.parse("Weekly").cron()).isEqualTo("0 0 0 * * MON");
    assertThat(LayerSchedule.parse(" monthly ").cron()).isEqualTo("0 0 0 1 * *");
    assertThat(LayerSchedule.parse("monthly").text()).isEqualTo("monthly");
  }

  @Test
  void cron_fiveFieldsGetSecondZero_sixFieldsKept() throws Exception {
    assertThat(LayerSchedule.parse("30 3 * * 1-5").cron()).isEqualTo("0 30 3 * * 1-5");
    assertThat(LayerSchedule.parse("*/10 * * * * *").cron()).isEqualTo("*/10 * * * * *");
    assertThat(LayerSchedule.parse("0 0 6 ? jan,jul sun").cron()).isEqualTo("0 0 6 ? JAN,JUL SUN");
  }

  @Test
  void bad_namesTheFieldAndTheFix() {
    assertThatThrownBy(() -> LayerSchedule.parse("hourly"))
        .isInstanceOf(AccretionException.class)
        .hasMessageContaining("'hourly' is neither daily, weekly, monthly nor a cron expression")
        .hasMessageContaining("\"0 3 * * *\"");
    assertThatThrownBy(() -> LayerSchedule.parse("61 * * * *"))
        .hasMessageContaining("minute field '61': 61 is out of range 0-59");
    assertThatThrownBy(() -> LayerSchedule.parse("0 0 * * FOO"))
        .hasMessageContaining("day-of-week field 'FOO': 'FOO' is not a number or SUN..SAT");
    assertThatThrownBy(() -> LayerSchedule.parse("0 5-2 * * *"))
        .hasMessageContaining("hour field '5-2': the range '5-2' runs backwards");
    assertThatThrownBy(() -> LayerSchedule.parse("*/0 * * * *"))
        .hasMessageContaining("the step after '/' must be a number from 1");
    assertThatThrownBy(() -> LayerSchedule.parse("")).hasMessageContaining("the schedule is empty");
    assertThatThrownBy(() -> LayerSchedule.parse("0 ? * * *"))
        .hasMessageContaining("hour field '?'");
    assertThatCode(() -> LayerSchedule.parse("0 0 ? * *")).doesNotThrowAnyException();
  }
}
