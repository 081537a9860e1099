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

	private final Clock clock;

	ClusterLog(WebSocketUrlResolver discovery, TokenVerifier tokenVerifier, LogCatchUp catchUp, EventIntake intake,
			Duration initialWindow, Clock clock) {
		this.discovery = discovery;
		this.tokenVerifier = tokenVerifier;
		this.catchUp = catchUp;
		this.intake = intake;
		this.initialWindow = initialWindow;
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
		if (!this.intake.isPositionKnown()) {
			this.catchUp.startFromNewest(this.clock.instant().minus(this.initialWindow));
		}
	}

	// Without a position (the newest id could not be asked) new events count from the first that arrives: there is
	// nothing to catch up on, and reading from 0 would deliver the whole log.
	@Override
	public boolean catchUp(BooleanSupplier stillWanted) {
		return !this.intake.isPositionKnown() || this.catchUp.run(stillWanted);
	}

	@Override
	public void fillGaps(BooleanSupplier stillWanted) {
		this.catchUp.fillGaps(stillWanted);
	}

	@Override
	public boolean hasOpenGaps() {
		return this.intake.hasOpenGaps();
	}

	@Override
	public long resumeAfter() {
		return this.intake.resumeAfter();
	}

}
