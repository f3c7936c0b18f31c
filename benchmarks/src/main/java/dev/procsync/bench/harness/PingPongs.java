package dev.procsync.bench.harness;

import dev.procsync.Namespace;
import dev.procsync.codec.Codecs;
import dev.procsync.channel.Connection;
import dev.procsync.channel.Pipe;
import dev.procsync.channel.Queue;
import dev.procsync.channel.QueueCapacity;
import dev.procsync.data.SharedInt;
import dev.procsync.sync.Condition;
import dev.procsync.sync.Event;
import dev.procsync.sync.Lock;
import dev.procsync.sync.Semaphore;
import java.nio.ByteBuffer;

/** The ping-pong workloads, one per primitive, named like the Python and C peers. */
final class PingPongs {
    private PingPongs() {
    }

    /** Two Events: ping is set by the coordinator, pong by the peer; each side clears what it consumed. */
    static final class EventPingPong extends PingPongWorkload {
        @Override
        public String name() {
            return "pingpong-event";
        }

        @Override
        Side open(Namespace ns) {
            Event ping = ns.event("ping");
            Event pong = ns.event("pong");
            return new Side() {
                @Override
                public void roundTrip() throws InterruptedException {
                    ping.set();
                    pong.await();
                    pong.clear();
                }

                @Override
                public void answer() throws InterruptedException {
                    ping.await();
                    ping.clear();
                    pong.set();
                }

                @Override
                public void close() {
                    ping.close();
                    pong.close();
                }
            };
        }
    }

    /** Two Semaphores of zero permits: release one, acquire the other. */
    static final class SemaphorePingPong extends PingPongWorkload {
        @Override
        public String name() {
            return "pingpong-semaphore";
        }

        @Override
        Side open(Namespace ns) {
            Semaphore ping = ns.semaphore("ping", 0);
            Semaphore pong = ns.semaphore("pong", 0);
            return new Side() {
                @Override
                public void roundTrip() throws InterruptedException {
                    ping.release();
                    pong.acquire();
                }

                @Override
                public void answer() throws InterruptedException {
                    ping.acquire();
                    pong.release();
                }

                @Override
                public void close() {
                    ping.close();
                    pong.close();
                }
            };
        }
    }

    /** A Condition over a Lock and a shared turn counter: odd turns are the peer's, even the coordinator's. */
    static final class ConditionPingPong extends PingPongWorkload {
        @Override
        public String name() {
            return "pingpong-condition";
        }

        @Override
        Side open(Namespace ns) {
            Lock lock = ns.lock("cond.lock");
            Condition cond = ns.condition("cond", lock);
            SharedInt turn = ns.sharedInt("turn");
            return new Side() {
                @Override
                public void roundTrip() throws InterruptedException {
                    lock.acquire();
                    try {
                        int mine = turn.get();
                        turn.set(mine + 1);
                        cond.signalAll();
                        while (turn.get() != mine + 2) {
                            cond.await();
                        }
                    } finally {
                        lock.release();
                    }
                }

                @Override
                public void answer() throws InterruptedException {
                    lock.acquire();
                    try {
                        while ((turn.get() & 1) == 0) {
                            cond.await();
                        }
                        turn.set(turn.get() + 1);
                        cond.signalAll();
                    } finally {
                        lock.release();
                    }
                }

                @Override
                public void close() {
                    cond.close();
                    turn.close();
                    lock.close();
                }
            };
        }
    }

    /** A duplex Pipe: the coordinator sends 8 bytes on end A, the peer echoes them on end B. */
    static final class PipePingPong extends PingPongWorkload {
        @Override
        public String name() {
            return "pingpong-pipe";
        }

        @Override
        Side open(Namespace ns) {
            byte[] message = new byte[8];
            return new Side() {
                private Connection<byte[]> end;

                private Connection<byte[]> end(Pipe.End which) {
                    if (end == null) {
                        end = Pipe.end(ns, "pipe", which, true);
                    }
                    return end;
                }

                @Override
                public void roundTrip() throws InterruptedException {
                    Connection<byte[]> a = end(Pipe.End.A);
                    a.sendBytes(message);
                    a.recvBytes();
                }

                @Override
                public void answer() throws InterruptedException {
                    Connection<byte[]> b = end(Pipe.End.B);
                    b.sendBytes(b.recvBytes());
                }

                @Override
                public void close() {
                    if (end != null) {
                        end.close();
                    }
                }
            };
        }
    }

    /** Two Queues of raw bytes: to the peer and back. */
    static final class QueuePingPong extends PingPongWorkload {
        @Override
        public String name() {
            return "pingpong-queue";
        }

        @Override
        Side open(Namespace ns) {
            Queue<byte[]> there = ns.queue("there", Codecs.bytes(), QueueCapacity.bytes(1 << 16));
            Queue<byte[]> back = ns.queue("back", Codecs.bytes(), QueueCapacity.bytes(1 << 16));
            ByteBuffer out = ByteBuffer.allocateDirect(8);
            ByteBuffer in = ByteBuffer.allocateDirect(64);
            return new Side() {
                @Override
                public void roundTrip() throws InterruptedException {
                    there.putBytes(out.clear());
                    back.getBytes(in.clear());
                }

                @Override
                public void answer() throws InterruptedException {
                    there.getBytes(in.clear());
                    back.putBytes(in.flip());
                }

                @Override
                public void close() {
                    there.close();
                    back.close();
                }
            };
        }
    }
}
