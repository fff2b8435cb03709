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
