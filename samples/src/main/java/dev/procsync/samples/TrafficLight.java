package dev.procsync.samples;

import dev.procsync.sync.Event;
import java.time.Duration;

/**
 * Seed scenario 6b, the traffic light: a light process turns an {@link Event} on (green) and off
 * (red) every few hundred milliseconds; car processes that find it red wait for green, then pass.
 *
 * <pre>
 * samples/run.sh traffic-light [cars]
 * </pre>
 */
public final class TrafficLight {
    /** How long each color lasts. */
    static final Duration PHASE = Duration.ofMillis(300);

    private TrafficLight() {
    }

    /** Cars that passed, and how many of them passed while the light was still red (must be 0). */
    public record Result(long passed, long passedOnRed) {
    }

    public static void main(String[] args) throws Exception {
        int cars = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        try (Sample sample = Sample.start("traffic-light")) {
            Result r = run(sample, cars);
            sample.say(r.passed() + " cars passed, " + r.passedOnRed() + " before the first green");
        }
    }

    /**
     * Runs one light and {@code cars} cars until every car has passed.
     *
     * @param sample the stage
     * @param cars   how many car processes
     * @return what happened
     * @throws Exception if a process fails
     */
    public static Result run(Sample sample, int cars) throws Exception {
        try (Event stop = sample.ns().event("stop")) {
            sample.ns().event("green").close(); // created clear: the light starts red
            StartGate carsArrived = StartGate.open(sample.ns(), "cars-arrived");
            var light = sample.spawn(Light.class, "light");
            for (int i = 1; i <= cars; i++) {
                sample.spawn(Car.class, "car-" + i);
            }
            carsArrived.awaitArrivals(cars + 1); // every car at the crossing, and the light
            carsArrived.open();
            for (var child : sample.children()) {
                if (child != light) {
                    sample.join(child);
                }
            }
            stop.set();
            sample.join(light);
        }
        return new Result(Tally.open(sample.ns(), "passed").get(), Tally.open(sample.ns(), "passed-on-red").get());
    }

    /** The light: toggles the event, then sleeps one phase (on the stop event, so it ends promptly). */
    public static final class Light {
        private Light() {
        }

        public static void main(String[] args) throws Exception {
            try (Sample me = Sample.child(args); Event green = me.ns().event("green");
                    Event stop = me.ns().event("stop")) {
                Tally greens = Tally.open(me.ns(), "greens");
                me.say("red");
                StartGate.open(me.ns(), "cars-arrived").arriveAndAwaitOpen();
                while (!stop.await(PHASE)) {
                    if (green.isSet()) {
                        me.say("red");
                        green.clear();
                    } else {
                        me.say("green");
                        greens.add(1);
                        green.set();
                    }
                }
            }
        }
    }

    /** A car: waits for green if it is red, then passes. */
    public static final class Car {
        private Car() {
        }

        public static void main(String[] args) throws Exception {
            try (Sample me = Sample.child(args); Event green = me.ns().event("green")) {
                StartGate.open(me.ns(), "cars-arrived").arriveAndAwaitOpen();
                if (!green.isSet()) {
                    me.say("waiting at the red light");
                }
                green.await();
                me.say("passing the crossing");
                Tally.open(me.ns(), "passed").add(1);
                if (Tally.open(me.ns(), "greens").get() == 0) {
                    Tally.open(me.ns(), "passed-on-red").add(1);
                }
            }
        }
    }
}
