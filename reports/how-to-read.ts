// The "how to read this report" legend: short, for someone who has not seen one before.

export const HOW_TO_READ = `<section id="how-to-read">
<h2>How to read this report</h2>
<dl class="howto">
<dt>Verdict</dt>
<dd><b>ok</b> means the run showed what the scenario expects: no anomaly for a safe configuration, or the
famous failure for an unsafe one. <b>NOT OK</b> means it did not; the sentence beside it says why.</dd>
<dt>Time</dt>
<dd>All times are simulated seconds since the cluster started. Dashed grey lines mark the phases: <i>ready</i>
(the topic exists and the load begins), <i>heal</i> (every fault removed, crashed nodes restarted) and
<i>stop</i> (producers stop; the cluster settles and the final state is captured).</dd>
<dt>Fault timeline</dt>
<dd>One lane per node. A bar is a fault on that node, from when it started to when it ended; hover for the
details. Diamonds are the steps of a scripted story.</dd>
<dt>Partitions</dt>
<dd>A solid line is a replica's log end offset (what it has written), a dashed line its high watermark (what
it counts as committed). When a follower falls behind, its lines flatten; after a leader change you may see
a log end offset drop: the replica truncated records that were never committed. The lane above shows who led
in which epoch; the lane below shows the ISR size, red while it was short.</dd>
<dt>Anomalies</dt>
<dd>Red numbered markers on the charts link to the anomaly's explanation. Each explanation lists the records
as each witness saw them: a producer's acknowledgement, a consumer's poll, or a replica's final log. When
they disagree, that disagreement is the anomaly.</dd>
<dt>Reproduce</dt>
<dd>The command under the verdict runs the same seed again and gives the same run, byte for byte: change the
code, run it, and compare.</dd>
</dl>
</section>`;
