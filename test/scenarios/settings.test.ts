import test from 'ava';
import { parseSettings, SettingError } from '../../sim/settings.ts';

test('a bare producer key goes to the producers', (t) => {
  t.deepEqual(parseSettings(['acks=1']).map((s) => [s.kind, s.key, s.value]), [['producer', 'acks', '1']]);
});

test('a key both brokers and topics have is set on the brokers', (t) => {
  t.deepEqual(parseSettings(['min.insync.replicas=1']).map((s) => s.kind), ['broker']);
});

test('a key may name its kind', (t) => {
  t.deepEqual(parseSettings(['topic.retention.ms=60000']).map((s) => [s.kind, s.key]), [['topic', 'retention.ms']]);
});

test('an unknown key is refused with the nearest Kafka keys', (t) => {
  const error = t.throws(() => parseSettings(['linger.msec=5']), { instanceOf: SettingError });
  t.regex(error!.message, /--set linger\.msec=5: .*Did you mean linger\.ms/);
});

test('a bad value is refused naming the key and what it allows', (t) => {
  const error = t.throws(() => parseSettings(['acks=banana']), { instanceOf: SettingError });
  t.regex(error!.message, /--set acks=banana/);
  t.regex(error!.message, /all/);
});

test('a setting without = is refused with an example', (t) => {
  t.throws(() => parseSettings(['acks']), { instanceOf: SettingError, message: /key=value/ });
});

test('a key prefixed with the wrong kind says which kind has it and how to write it', (t) => {
  const error = t.throws(() => parseSettings(['broker.acks=1']), { instanceOf: SettingError });
  t.is(error!.message, '--set broker.acks=1: acks is a producer config key, not a broker one; write --set producer.acks=1 or --set acks=1');
  const shared = t.throws(() => parseSettings(['consumer.min.insync.replicas=2']), { instanceOf: SettingError });
  t.regex(shared!.message, /min\.insync\.replicas is a broker and topic config key, not a consumer one; write --set broker\.min\.insync\.replicas=2, --set topic\.min\.insync\.replicas=2 or --set min\.insync\.replicas=2 \(bare, it goes to the brokers\)/);
  const clients = t.throws(() => parseSettings(['topic.client.id=app']), { instanceOf: SettingError });
  t.regex(clients!.message, /client\.id is a producer and consumer config key, not a topic one/);
});

test('a topic key prefixed broker names the broker key for it, and the other way round', (t) => {
  const toBroker = t.throws(() => parseSettings(['broker.retention.ms=1000']), { instanceOf: SettingError });
  t.regex(toBroker!.message, /retention\.ms is a topic config key, not a broker one; write --set topic\.retention\.ms=1000 or --set retention\.ms=1000\. The brokers' cluster-wide default for it is log\.retention\.ms \(--set broker\.log\.retention\.ms=1000\)/);
  const toTopic = t.throws(() => parseSettings(['topic.log.segment.bytes=1024']), { instanceOf: SettingError });
  t.regex(toTopic!.message, /The topic key for it is segment\.bytes \(--set topic\.segment\.bytes=1024\)/);
});

test('a misspelt key under a kind\'s prefix is looked up among that kind\'s keys', (t) => {
  const error = t.throws(() => parseSettings(['broker.min.insync.replica=2']), { instanceOf: SettingError });
  t.regex(error!.message, /Did you mean broker\.min\.insync\.replicas\?/);
});

test('a key whose name starts like a kind is still that key', (t) => {
  t.deepEqual(parseSettings(['broker.session.timeout.ms=5000']).map((s) => [s.kind, s.key]), [['broker', 'broker.session.timeout.ms']]);
});

test('a Kafka key the engine does not model is refused with the reason, bare or prefixed', (t) => {
  const bare = t.throws(() => parseSettings(['auto.leader.rebalance.enable=true']), { instanceOf: SettingError });
  t.is(bare!.message.split('\n').length, 1);
  t.regex(bare!.message, /^--set auto\.leader\.rebalance\.enable=true: auto\.leader\.rebalance\.enable is a Kafka broker config that Tributary does not model: .*never moves leadership back/);
  const prefixed = t.throws(() => parseSettings(['consumer.session.timeout.ms=10000']), { instanceOf: SettingError });
  t.regex(prefixed!.message, /session\.timeout\.ms is a Kafka consumer config that Tributary does not model: consumer groups come in a later issue/);
  const elsewhere = t.throws(() => parseSettings(['producer.group.id=g']), { instanceOf: SettingError });
  t.regex(elsewhere!.message, /group\.id is a Kafka consumer config that Tributary does not model/);
});

test('a bare key every kind of which refuses the value says so for each kind', (t) => {
  const error = t.throws(() => parseSettings(['compression.type=lz4']), { instanceOf: SettingError });
  t.regex(error!.message, /^--set compression\.type=lz4 \(broker\): .*does not recompress/m);
  t.regex(error!.message, /^--set compression\.type=lz4 \(producer\): .*writes only none and gzip/m);
});
