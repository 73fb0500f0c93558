//! The simulated moment a scenario plays at ([`AsOf`]): a date with an optional UTC time of day,
//! parsed from `2026-11-28` or `2026-06-10T00:05`, and the real current UTC time used when no
//! time of day is given.

use std::str::FromStr;

use jiff::civil::{Date, DateTime, Time};
use serde::{Deserialize, Deserializer};

/// The simulated moment: a date, optionally with a UTC time of day (`2026-06-10T00:05`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AsOf {
    /// The simulated day.
    pub date: Date,
    /// The UTC time of day; `None` = the real current one.
    pub time: Option<Time>,
}

impl AsOf {
    /// The moment the policy sees: the date at the given time, or at the current UTC time of day.
    pub fn moment(&self) -> DateTime {
        let time = self.time.unwrap_or_else(|| now_utc().time());
        self.date.to_datetime(time)
    }
}

/// The current UTC civil date and time.
pub(crate) fn now_utc() -> DateTime {
    jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .datetime()
}

impl From<Date> for AsOf {
    fn from(date: Date) -> Self {
        AsOf { date, time: None }
    }
}

impl FromStr for AsOf {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("expected a date like 2026-11-28 or 2026-06-10T00:05, got `{s}`");
        if s.contains('T') {
            let dt = s.parse::<DateTime>().map_err(|_| bad())?;
            return Ok(AsOf {
                date: dt.date(),
                time: Some(dt.time()),
            });
        }
        match s.parse::<Date>() {
            Ok(date) => Ok(date.into()),
            Err(_) => Err(bad()),
        }
    }
}

impl<'de> Deserialize<'de> for AsOf {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn as_of_accepts_date_or_datetime() {
        let a: AsOf = "2026-06-10".parse().unwrap();
        assert_eq!(a.time, None);
        let b: AsOf = "2026-06-10T00:05".parse().unwrap();
        assert_eq!(b.moment().to_string(), "2026-06-10T00:05:00");
        assert!("2026-13-01".parse::<AsOf>().is_err());
    }
}
