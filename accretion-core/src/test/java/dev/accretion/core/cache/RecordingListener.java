package dev.accretion.core.cache;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every event, from any thread. */
final class RecordingListener implements CacheListener {
  private final List<CacheEvent> events = new CopyOnWriteArrayList<>();

  @Override
  public void onEvent(CacheEvent event) {
    events.add(event);
  }

  List<CacheEvent> events() {
    return List.copyOf(events);
  }

  <T extends CacheEvent> List<T> of(Class<T> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }

  void clear() {
    events.clear();
  }
}
