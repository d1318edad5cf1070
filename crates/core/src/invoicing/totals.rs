//! The sums of an invoice, and the rule an exempt line cites. Pure, so every rounding case is
//! tested without a vault.

use serde::{Deserialize, Serialize};

use super::VatRate;
use crate::domain::profile::{Jurisdiction, Language};

/// The net amount and VAT at one rate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RateTotal {
    /// The rate.
    pub vat: VatRate,
    /// Sum of the lines at this rate, without VAT.
    pub net: i64,
    /// The VAT on `net`.
    pub vat_amount: i64,
}

/// An invoice's sums, in minor units.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Totals {
    /// One row per rate present, in [`VatRate::ALL`]'s order.
    pub per_rate: Vec<RateTotal>,
    /// Sum of every line, without VAT.
    pub net: i64,
    /// Sum of the VAT.
    pub vat: i64,
    /// What is to be paid: `net + vat`.
    pub gross: i64,
}

/// VAT on `net` at `basis_points` (2500 = 25 %), rounded once to the minor unit, half away
/// from zero (so a credit note's VAT is exactly its invoice's, negated).
pub fn vat_of(net: i64, basis_points: i64) -> i64 {
    let x = i128::from(net) * i128::from(basis_points);
    let (q, r) = (x / 10_000, x % 10_000);
    let rounded = if r.abs() * 2 >= 10_000 { q + r.signum() } else { q };
    i64::try_from(rounded).unwrap_or(i64::MAX)
}

/// The totals of lines given as (net, rate): net per rate, VAT per rate on that net, then
/// the sums.
pub fn totals(lines: &[(i64, VatRate)]) -> Totals {
    let mut t = Totals::default();
    for &rate in VatRate::ALL {
        let at: Vec<i64> = lines.iter().filter(|(_, r)| *r == rate).map(|(n, _)| *n).collect();
        if at.is_empty() {
            continue;
        }
        let net: i64 = at.iter().sum();
        let vat_amount = vat_of(net, rate.basis_points());
        t.per_rate.push(RateTotal { vat: rate, net, vat_amount });
        t.net += net;
        t.vat += vat_amount;
    }
    t.gross = t.net + t.vat;
    t
}

/// The rule that makes a therapist's treatment exempt from VAT, as printed on the invoice, or
/// `None` where the profile has none: in Sweden only a licensed practitioner's healthcare is
/// exempt; in Denmark an authorised psychologist's treatment, and a psychotherapist's under
/// SKAT's conditions (the same paragraph). Coaching carries 25 % everywhere.
pub fn exemption_reference(j: Jurisdiction, lang: Language) -> Option<&'static str> {
    use Jurisdiction as J;
    use Language as L;
    match (j, lang) {
        (J::SeLicensed, L::Sv) => {
            Some("Undantaget från moms enligt 10 kap. 6 § mervärdesskattelagen (2023:200) (sjukvård).")
        }
        (J::SeLicensed, L::Da) => {
            Some("Fritaget for moms efter 10 kap. 6 § i den svenske momslov (2023:200) (sundhedsydelse).")
        }
        (J::SeLicensed, L::En) => {
            Some("Exempt from VAT under chapter 10, section 6 of the Swedish VAT Act (2023:200) (healthcare).")
        }
        (J::DkPsychologist | J::DkTherapistCoach, L::Da) => {
            Some("Momsfritaget efter momslovens § 13, stk. 1, nr. 1 (behandling).")
        }
        (J::DkPsychologist | J::DkTherapistCoach, L::Sv) => {
            Some("Undantaget från moms enligt 13 § stk. 1 nr. 1 i den danska momslagen (behandling).")
        }
        (J::DkPsychologist | J::DkTherapistCoach, L::En) => {
            Some("Exempt from VAT under section 13(1)(1) of the Danish VAT Act (treatment).")
        }
        (J::SeOther | J::Custom, _) => None,
    }
}

/// The VAT a new line starts with under a profile: exempt for a licensed Swedish practitioner and
/// an authorised Danish psychologist, else 25 %.
pub fn default_vat(j: Jurisdiction) -> VatRate {
    // A Danish therapist or coach is exempt only under SKAT's conditions: 25 % unless chosen.
    if exemption_reference(j, Language::En).is_some() && j != Jurisdiction::DkTherapistCoach {
        VatRate::Exempt
    } else {
        VatRate::Vat25
    }
}

/// The largest total a simplified invoice may have, which need not name the buyer's address
/// (SE ML 17 kap. 26 §: 4 000 kr incl. VAT; DK: 3 000 kr); `None`: every invoice is a full one.
pub fn simplified_limit(j: Jurisdiction) -> Option<i64> {
    match j {
        Jurisdiction::SeLicensed | Jurisdiction::SeOther => Some(400_000),
        Jurisdiction::DkPsychologist | Jurisdiction::DkTherapistCoach => Some(300_000),
        Jurisdiction::Custom => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vat_rounds_once_per_rate_half_away_from_zero() {
        assert_eq!(vat_of(100_000, 2500), 25_000);
        assert_eq!(vat_of(2, 2500), 1, "0.5 öre rounds up");
        assert_eq!(vat_of(-2, 2500), -1, "and a credit note's down, to the same amount");
        assert_eq!(vat_of(1, 2500), 0);
        assert_eq!(vat_of(123_456, 0), 0);
        // Three lines of 3,33 kr at 25 %: per line 0,8325 → 0,83 each (2,49 in all), but the
        // VAT the invoice states is on the rate's total, 9,99 kr → 2,4975 → 2,50.
        let t = totals(&[(333, VatRate::Vat25), (333, VatRate::Vat25), (333, VatRate::Vat25)]);
        assert_eq!((t.net, t.vat, t.gross), (999, 250, 1_249));
        assert_eq!(3 * vat_of(333, 2500), 249);
    }

    #[test]
    fn totals_keep_each_rate_apart() {
        let t = totals(&[(110_000, VatRate::Exempt), (80_000, VatRate::Vat25), (110_000, VatRate::Exempt)]);
        assert_eq!(
            t.per_rate,
            [
                RateTotal { vat: VatRate::Exempt, net: 220_000, vat_amount: 0 },
                RateTotal { vat: VatRate::Vat25, net: 80_000, vat_amount: 20_000 },
            ]
        );
        assert_eq!((t.net, t.vat, t.gross), (300_000, 20_000, 320_000));
        let credit = totals(&[(-110_000, VatRate::Exempt), (-80_000, VatRate::Vat25), (-110_000, VatRate::Exempt)]);
        assert_eq!(credit.gross, -t.gross);
        assert_eq!(totals(&[]), Totals::default());
    }

    #[test]
    fn every_nordic_profile_cites_its_rule_in_every_language() {
        for j in [Jurisdiction::SeLicensed, Jurisdiction::DkPsychologist] {
            for l in [Language::Sv, Language::Da, Language::En] {
                assert!(exemption_reference(j, l).is_some());
            }
        }
        assert!(exemption_reference(Jurisdiction::SeLicensed, Language::Sv).unwrap().contains("10 kap. 6 §"));
        assert!(exemption_reference(Jurisdiction::DkPsychologist, Language::Da)
            .unwrap()
            .contains("§ 13, stk. 1, nr. 1"));
        assert_eq!(exemption_reference(Jurisdiction::Custom, Language::En), None);
        assert_eq!(exemption_reference(Jurisdiction::SeOther, Language::Sv), None, "unlicensed: taxable");
        assert_eq!(simplified_limit(Jurisdiction::SeOther), Some(400_000));
    }
}
