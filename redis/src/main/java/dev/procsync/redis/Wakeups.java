package dev.procsync.redis;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.redisson.api.RPatternTopicReactive;
import org.redisson.api.RedissonReactiveClient;
import org.redisson.client.codec.StringCodec;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * One pattern subscription per backend instance on {@code <ns>:wake:*}, fanned out locally to the
 * waiters of each channel: waiting costs no Redis subscription per waiter.
 */
final class Wakeups {
    private final Map<String, Sinks.Many<Boolean>> channels = new ConcurrentHashMap<>();
    private final RPatternTopicReactive topic;
    private final int listener;
    private volatile boolean closed;

    Wakeups(RedissonReactiveClient client, String prefix, java.time.Duration timeout) {
        topic = client.getPatternTopic(prefix + ":wake:*", StringCodec.INSTANCE);
        Integer id = topic.addListener(String.class, (pattern, channel, message) -> {
            Sinks.Many<Boolean> sink = closed ? null : channels.get(channel.toString());
            if (sink != null) {
                sink.tryEmitNext(Boolean.TRUE);
            }
        }).block(timeout);
        listener = id == null ? -1 : id;
    }

    /** A hot stream of wake-ups of {@code channel}; subscribe before trying, so no wake-up is missed. */
    Flux<Boolean> of(String channel) {
        return channels.computeIfAbsent(channel, c -> Sinks.many().multicast().directBestEffort()).asFlux();
    }

    /**
     * Stops fanning out. Redisson 4.7.0's reactive proxy cannot find {@code removeListener(int)}
     * (it looks for the boxed signature), so on a shared client the listener stays registered,
     * silent, until the client shuts down.
     */
    void close() {
        closed = true;
        try {
            topic.removeListener(listener).subscribe(v -> { }, e -> { });
        } catch (RuntimeException e) {
            // see above: the listener is inert once closed
        }
        channels.clear();
    }
}
