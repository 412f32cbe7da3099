//! Rate-limit headers (<https://developer.xero.com/documentation/guides/oauth2/limits/>), read
//! from every answer the suite got: practice calls carry `X-DayLimit-Remaining`,
//! `X-MinLimit-Remaining` and `X-AppMinLimit-Remaining` within Xero's limits; tenant-less calls
//! (`/connections`) carry no practice counters. The day's remaining calls tell the tier. What a
//! read-only run within the limits cannot show is listed as not checked.

use super::Context;
use crate::finding::{Divergence, Finding};
use crate::probe::RateHeaders;
use crate::target::ServerKind;

/// Calls per practice per day on Xero's standard tiers, and on Starter.
const PER_DAY: u32 = 5_000;
const STARTER_PER_DAY: u32 = 1_000;

pub(crate) fn run(context: &mut Context<'_>) {
    let seen = context.probe.rate_headers.clone();
    practice_headers(context, &seen);
    tenant_less(context, &seen);
    context.push(Finding::skipped(
        "limits.429",
        "429 answers name the limit in X-Rate-Limit-Problem, with Retry-After for minute and day",
        "not probed: it would take exceeding a limit, and the suite stays far inside them",
    ));
    context.push(Finding::skipped(
        "identity.refresh-lifetimes",
        "refresh tokens rotate with a 30-minute grace and expire after 60 days; codes live 5 minutes",
        "not observable in one short read-only run",
    ));
}

fn practice_headers(context: &mut Context<'_>, seen: &[RateHeaders]) {
    const CHECK: &str = "limits.headers";
    const TITLE: &str = "practice calls carry X-DayLimit-Remaining, X-MinLimit-Remaining, X-AppMinLimit-Remaining";
    let practice: Vec<&RateHeaders> = seen.iter().filter(|headers| !headers.tenant_less).collect();
    let with_all: Vec<&&RateHeaders> =
        practice.iter().filter(|h| h.day.is_some() && h.minute.is_some() && h.app_minute.is_some()).collect();
    if with_all.is_empty() && context.kind() == ServerKind::Mock {
        let reason = "no answer carried them: this emulator runs with --limits off, which sends no rate headers";
        return context.push(Finding::skipped(CHECK, TITLE, reason));
    }
    let assumed = "the three headers, and no more than Xero's 5,000 calls a day left";
    let over_a_day = with_all.iter().find(|headers| headers.day.is_some_and(|day| day > PER_DAY));
    let answered = with_all.len();
    let finding = if let Some(headers) = over_a_day {
        let observed = format!("X-DayLimit-Remaining {:?}", headers.day);
        let divergence = Divergence::new(headers.request.clone(), assumed, observed)
            .setting("LimitSettings.per_day (profile: calls_per_day)");
        Finding::differs(CHECK, TITLE, divergence)
    } else if answered == 0 {
        let request = practice.first().map_or_else(|| "every practice call".to_owned(), |h| h.request.clone());
        Finding::differs(CHECK, TITLE, Divergence::new(request, assumed, "no answer carried them"))
    } else {
        // Answers refused at the gateway (unknown tenant, missing scope) come without them.
        Finding::pass(CHECK, TITLE, format!("{answered} of {} practice answers carried all three", practice.len()))
    };
    context.push(finding);
    // The first answer's remaining count tells the tier when it is above Starter's whole day.
    if with_all.first().and_then(|headers| headers.day).is_some_and(|day| day >= STARTER_PER_DAY) {
        context.profile.calls_per_day = Some(PER_DAY);
    }
}

fn tenant_less(context: &mut Context<'_>, seen: &[RateHeaders]) {
    const CHECK: &str = "limits.tenant-less";
    const TITLE: &str = "/connections carries no practice counters (at most X-AppMinLimit-Remaining)";
    let Some(headers) = seen.iter().find(|headers| headers.tenant_less) else {
        return context.push(Finding::skipped(CHECK, TITLE, "no tenant-less call was answered"));
    };
    let finding = if headers.day.is_none() && headers.minute.is_none() {
        Finding::pass(
            CHECK,
            TITLE,
            match headers.app_minute {
                Some(app) => format!("X-AppMinLimit-Remaining {app} only"),
                None => "no rate headers".to_owned(),
            },
        )
    } else {
        let observed = format!("day {:?}, minute {:?}", headers.day, headers.minute);
        Finding::differs(CHECK, TITLE, Divergence::new(headers.request.clone(), "no practice counters", observed))
    };
    context.push(finding);
}
