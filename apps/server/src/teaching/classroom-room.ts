import type { ClassroomFrame, ClassroomState, ServerFrame, WarrenEvent } from '@warren/protocol';
import type { TopicBus } from '../broker/topic-bus';
import { EventStream } from '../events/event-stream';
import { classroomKeys, type SessionSnapshot } from './classroom-home';

/** One follower's (or the teacher's) websocket, as the classroom sees it. */
export interface ClassroomSocket {
  send(frame: ServerFrame): void;
  bufferedAmount(): number;
  close(code: number, reason: string): void;
}

/** Close code when the teacher closed the classroom. */
export const CLASSROOM_CLOSED = 4410;

class Member {
  /** Until its hello is sent: the events received meanwhile, sent after it if newer. */
  held: WarrenEvent[] | undefined = [];
  heldDropped = 0;
  heldReplaced = 0;
  /** Classroom frames that came before the hello, numbered by the room. */
  heldFrames: { n: number; frame: ClassroomFrame }[] = [];
  /** The room's frame count when the state for the hello was read: older frames are in it. */
  readMark = 0;
  /** The seq of the hello; events up to it are in the snapshot already. */
  helloSeq = Number.POSITIVE_INFINITY;
  stop: () => void = () => {};
  constructor(
    readonly socket: ClassroomSocket,
    readonly counted: boolean,
  ) {}
}

/**
 * The followers of one classroom connected to this server. The session's events and the
 * classroom frames come in from the broker once for all of them and go out to each through an
 * event stream of the room's own, which batches and drops animation events for a slow reader
 * like a session's own stream does.
 */
export class ClassroomRoom {
  private readonly stream = new EventStream();
  private readonly members = new Set<Member>();
  private stops: (() => void)[] = [];
  private lastState: ClassroomState | undefined;
  private frameCount = 0;

  private constructor(readonly code: string) {}

  /** A room listening on the bus: from when this settles, no event of the classroom is missed. */
  static async open(code: string, bus: TopicBus): Promise<ClassroomRoom> {
    const room = new ClassroomRoom(code);
    const keys = classroomKeys(code);
    room.stops.push(
      await bus.listen(keys.events, (content) => {
        const { events } = JSON.parse(content.toString('utf8')) as { events: WarrenEvent[] };
        for (const event of events) room.stream.relay(event);
      }),
    );
    try {
      room.stops.push(
        await bus.listen(keys.classroom, (content) =>
          room.classroomFrame(JSON.parse(content.toString('utf8')) as ClassroomFrame),
        ),
      );
    } catch (error) {
      room.close();
      throw error;
    }
    return room;
  }

  /** Followers counted here (the teacher's own page is not). */
  get followers(): number {
    let count = 0;
    for (const member of this.members) if (member.counted) count += 1;
    return count;
  }

  get size(): number {
    return this.members.size;
  }

  /**
   * Adds a socket; its frames wait until `hello` is called. Events received from now on are held
   * and sent after the hello when their seq is above the snapshot's.
   */
  join(socket: ClassroomSocket, counted: boolean): Member {
    const member = new Member(socket, counted);
    member.stop = this.stream.subscribe({
      bufferedAmount: () => socket.bufferedAmount(),
      send: (events, dropped, replaced) => this.deliver(member, events, dropped, replaced),
    });
    this.members.add(member);
    return member;
  }

  private deliver(member: Member, events: WarrenEvent[], dropped: number, replaced: number): void {
    if (member.held) {
      member.held.push(...events);
      member.heldDropped += dropped;
      member.heldReplaced += replaced;
      return;
    }
    const fresh = events.filter((e) => e.seq > member.helloSeq);
    if (fresh.length === 0 && dropped === 0 && replaced === 0) return;
    member.socket.send({
      type: 'events',
      events: fresh,
      dropped,
      ...(replaced > 0 ? { replaced } : {}),
    });
  }

  /** Call right before reading the classroom state for a member's hello. */
  markRead(member: Member): void {
    member.readMark = this.frameCount;
  }

  /** Sends the member its hello, then what was held for it that the snapshot does not include. */
  hello(member: Member, snapshot: SessionSnapshot, classroom: ClassroomState): void {
    if (!this.members.has(member)) return;
    const held = member.held ?? [];
    member.held = undefined;
    member.helloSeq = snapshot.seq;
    member.socket.send({ type: 'hello', ...snapshot, classroom });
    this.deliver(member, held, member.heldDropped, member.heldReplaced);
    // Frames that may be newer than the state read for the hello.
    for (const { n, frame } of member.heldFrames)
      if (n > member.readMark) this.sendFrame(member, frame);
    member.heldFrames = [];
  }

  private sendFrame(member: Member, frame: ClassroomFrame): void {
    member.socket.send(frame);
    if (frame.change === 'closed') member.socket.close(CLASSROOM_CLOSED, 'classroom closed');
  }

  leave(member: Member): void {
    if (!this.members.delete(member)) return;
    member.stop();
  }

  private classroomFrame(frame: ClassroomFrame): void {
    this.lastState = frame.classroom;
    this.frameCount += 1;
    for (const member of this.members) {
      if (member.held) member.heldFrames.push({ n: this.frameCount, frame });
      else this.sendFrame(member, frame);
    }
  }

  /** The newest state a frame brought, if any came since the room opened. */
  get state(): ClassroomState | undefined {
    return this.lastState;
  }

  close(): void {
    for (const stop of this.stops) stop();
    this.stops = [];
    this.stream.close();
    this.members.clear();
  }
}
