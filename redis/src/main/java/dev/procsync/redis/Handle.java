package dev.procsync.redis;

import java.time.Duration;
import java.util.List;
import org.redisson.api.RScript;
import org.redisson.client.codec.StringCodec;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * What every Redis-backed handle shares: its keys under the namespace, its wake channel, and its
 * closed state (a close ends the waits pending through it).
 */
abstract class Handle implements AutoCloseable {
    final RedisReactiveProcsync rx;
    final String name;
    private final String kind;
    private final Sinks.Empty<Void> closed = Sinks.empty();
    private volatile boolean isClosed;

    Handle(RedisReactiveProcsync rx, String kind, String name) {
        if (name.isEmpty() || name.indexOf('{') >= 0 || name.indexOf('}') >= 0) {
            throw new IllegalArgumentException("a name must be non-empty and without braces: '" + name + "'");
        }
        this.rx = rx;
        this.kind = kind;
        this.name = name;
    }

    /** The object's name. */
    public String name() {
        return name;
    }

    /** The key of one part of this object: {@code <ns>:{<kind>:<name>}<suffix>} (one hash slot per object). */
    final String key(String suffix) {
        return rx.name() + ":{" + kind + ":" + name + "}" + suffix;
    }

    /** The object's wake channel. */
    final String channel() {
        return rx.name() + ":wake:" + kind + ":" + name;
    }

    final Flux<Boolean> wakeups(String channel) {
        return rx.wakeups().of(channel);
    }

    final Mono<Void> closed() {
        return closed.asMono();
    }

    final RuntimeException closedError() {
        return new RedisClosedException(this + " is closed");
    }

    final void checkOpen() {
        if (isClosed) {
            throw closedError();
        }
    }

    final Duration pollInterval() {
        return rx.poll();
    }

    final Duration lease() {
        return rx.lease();
    }

    final Scheduler timer() {
        return rx.timer();
    }

    final Scheduler scheduler() {
        return rx.scheduler();
    }

    /** Runs a Lua script over string keys and arguments. */
    final <R> Mono<R> eval(String lua, RScript.ReturnType type, List<Object> keys, Object... args) {
        return rx.client().getScript(StringCodec.INSTANCE).eval(RScript.Mode.READ_WRITE, lua, type, keys, args);
    }

    /** Wakes the waiters of this object in every client. */
    final Mono<Void> wake() {
        return rx.client().getScript(StringCodec.INSTANCE).<Long>eval(RScript.Mode.READ_WRITE,
                "return redis.call('PUBLISH', KEYS[1], '')", RScript.ReturnType.LONG, List.of(channel())).then();
    }

    @Override
    public void close() {
        isClosed = true;
        closed.tryEmitEmpty();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + rx.name() + ":" + name + "]";
    }
}
