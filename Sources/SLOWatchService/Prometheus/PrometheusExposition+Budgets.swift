import SLOWatchCore

extension PrometheusExposition {
    /// The error-budget families, written only when at least one budget SLO has been judged, so the
    /// exposition of a service without budget SLOs stays as it was:
    /// - `slowatch_slo_error_budget_remaining{slo}`: the fraction of the period's budget left (below 0
    ///   once spent);
    /// - `slowatch_slo_burn_rate{slo,window}`: each status window's burn rate (`5m` … `3d`), absent
    ///   while the window has no events;
    /// - `slowatch_slo_events_total{slo,result="good|bad"}`: samples judged since counting started;
    /// - `slowatch_slo_alert_firing{slo,tier,severity}`: 1 while the tier fires, else 0.
    static func writeBudgets(_ statuses: [SLOStatus], to writer: inout some PrometheusSampleWriter) {
        let judged = statuses.compactMap { status in status.budget.map { (status.slo.id, $0) } }
        guard !judged.isEmpty else { return }
        writer.family(
            "slowatch_slo_error_budget_remaining", type: .gauge,
            help: "The fraction of the SLO's error budget left over its period; below 0 once spent.")
        for (slo, budget) in judged {
            writer.sample("slowatch_slo_error_budget_remaining", labels: ["slo": slo], budget.remaining)
        }
        writer.family(
            "slowatch_slo_burn_rate", type: .gauge,
            help:
                "How fast the SLO burns its error budget over the window: 1 spends it exactly over the period."
        )
        for (slo, budget) in judged {
            for rate in budget.burnRates {
                guard let value = rate.burnRate else { continue }
                let window = DurationText.format(milliseconds: Double(rate.windowMilliseconds), days: true)
                writer.sample("slowatch_slo_burn_rate", labels: ["slo": slo, "window": window], value)
            }
        }
        writer.family(
            "slowatch_slo_events_total", type: .counter,
            help:
                "Samples of the SLO's metric judged good or bad against its threshold since counting started."
        )
        for (slo, budget) in judged {
            writer.sample(
                "slowatch_slo_events_total", labels: ["slo": slo, "result": "good"], budget.cumulativeGood)
            writer.sample(
                "slowatch_slo_events_total", labels: ["slo": slo, "result": "bad"], budget.cumulativeBad)
        }
        writer.family(
            "slowatch_slo_alert_firing", type: .gauge,
            help:
                "1 while the SLO's burn-rate alert tier fires (both windows burn faster than its rate), else 0."
        )
        for (slo, budget) in judged {
            for state in budget.alerts {
                writer.sample(
                    "slowatch_slo_alert_firing",
                    labels: ["slo": slo, "tier": state.tier.name, "severity": state.tier.severity],
                    state.firing ? 1.0 : 0.0)
            }
        }
    }
}
