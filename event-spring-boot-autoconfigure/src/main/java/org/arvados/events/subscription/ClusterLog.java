package org.arvados.events.subscription;

import java.time.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;

import org.arvados.events.transport.TokenVerifier;
import org.arvados.events.transport.WebSocketUrlResolver;

/**
 * The {@link LogList} of a real cluster: discovery and {@code users/current} to verify, the
 * {@link LogCatchUp} to read the logs list into the {@link EventIntake}.
 */
final class ClusterLog implements LogList {

	private final WebSocketUrlResolver discovery;

	private final TokenVerifier tokenVerifier;

	private final LogCatchUp catchUp;

	private final EventIntake intake;

	private final Duration initialWindow;

	private final StartFrom startFrom;

	private final CatchUpReport report;

	private final Clock clock;

	/** Whether the known position is yet to be checked against the cluster's newest id, once each start. */
	private boolean checkAgainstNewest;

	ClusterLog(WebSocketUrlResolver discovery, TokenVerifier tokenVerifier, LogCatchUp catchUp, EventIntake intake,
			Duration initialWindow, StartFrom startFrom, CatchUpReport report, Clock clock) {
		this.discovery = discovery;
		this.tokenVerifier = tokenVerifier;
		this.catchUp = catchUp;
		this.intake = intake;
		this.initialWindow = initialWindow;
		this.startFrom = startFrom;
		this.report = report;
		this.clock = clock;
	}

	@Override
	public void verify() {
		this.intake.loadPendingCheckpoint();
		this.discovery.discover();
		this.tokenVerifier.verify();
	}

	// "From now on" needs a position before the first connection or poll, or one that drops before its first
	// event would resume without a position and lose what happened meanwhile.
	@Override
	public void startFromNewest() {
		if (this.intake.isPositionKnown()) {
			if (this.checkAgainstNewest && this.intake.isFromCheckpoint()) {
				this.catchUp.notBeyondNewest();
				this.checkAgainstNewest = false;
			}
			return;
		}
		this.checkAgainstNewest = false;
		// No checkpoint was saved: a start from a time reads the history from then; one from an id (under a leader
		// election, whose grants load the shared position first) after it.
		switch (this.startFrom.kind()) {
			case TIME -> this.catchUp.startFromTime(this.startFrom.since(this.clock));
			case ID -> this.intake.startAfter(this.startFrom.id() - 1);
			default -> this.catchUp.startFromNewest(this.clock.instant().minus(this.initialWindow));
		}
	}

	@Override
	public void streamStarts() {
		this.report.restart();
		this.checkAgainstNewest = true;
	}

	@Override
	public void caughtUp(BooleanSupplier stillWanted) {
		this.report.caughtUp(stillWanted);
	}

	// Without a position (the newest id could not be asked) new events count from the first that arrives: there is
	// nothing to catch up on, and reading from 0 would deliver the whole log.
	@Override
	public boolean catchUp(BooleanSupplier stillWanted) {
		this.report.passBegins();
		return !this.intake.isPositionKnown() || this.catchUp.run(stillWanted);
	}

	// An id the WebSocket gave far above the highest (see EventIntake#leaveToTheList) is looked for above it.
	@Override
	public void fillGaps(BooleanSupplier stillWanted) {
		if (!this.intake.takeListCheck()) {
			this.catchUp.fillGaps(stillWanted);
			return;
		}
		boolean done = false;
		try {
			done = this.catchUp.run(stillWanted);
		}
		finally {
			if (!done) {
				this.intake.leaveToTheList();
			}
		}
	}

	@Override
	public boolean hasOpenGaps() {
		return this.intake.hasOpenGaps() || this.intake.isListCheckPending();
	}

	@Override
	public long resumeAfter() {
		return this.intake.resumeAfter();
	}

}
