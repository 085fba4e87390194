//! Listening quality of an RTP stream, estimated with the ITU-T G.107 E-model from what one
//! capture point sees: the codec, the packets lost and the jitter.
//!
//! R = R0 − Is − Id − Ie,eff + A, with the default values of G.107 for everything the
//! capture cannot know (room noise, sidetone, loudness: R0 − Is = 93.2, A = 0), and:
//! - Ie,eff = Ie + (95 − Ie) · Ppl / (Ppl / BurstR + Bpl), Ppl the loss in percent, BurstR = 1
//!   (random loss), Ie and Bpl from G.113 Appendix I for the codec (G.711 with packet loss
//!   concealment: 0 and 25.1; G.729A: 11 and 19; G.723.1 6.3k: 15 and 16.1; GSM-FR: 20 and
//!   10; iLBC: 11 and 32; codecs G.113 does not list for narrowband, G.722 and Opus among
//!   them, are taken as G.711 with concealment: their wideband scale is not comparable);
//! - Id from the one-way delay Ta, which one capture point cannot measure: taken as the
//!   packetisation (20 ms), the codec's look-ahead and a jitter buffer of twice the measured
//!   jitter (at least 20 ms), with the simplified G.107 formula
//!   Id = 0.024 · Ta + 0.11 · (Ta − 177.3) · H(Ta − 177.3);
//! - MOS = 1 + 0.035 R + 7·10⁻⁶ · R (R − 60)(100 − R), 1 below R = 0 and 4.5 above 100.
//!
//! The figure is an estimate of what the receiver of this stream hears, not a measurement.

/// Equipment impairment and packet-loss robustness of a codec (G.113 Appendix I), and its
/// look-ahead in milliseconds.
fn impairment(codec: &str) -> (f64, f64, f64) {
    match codec.to_ascii_uppercase().as_str() {
        "G729" | "G729A" | "G729AB" => (11.0, 19.0, 5.0),
        "G723" | "G7231" => (15.0, 16.1, 7.5),
        "GSM" => (20.0, 10.0, 0.0),
        "ILBC" => (11.0, 32.0, 5.0),
        // G.711 with packet loss concealment, and codecs G.113 does not rate.
        _ => (0.0, 25.1, 0.0),
    }
}

/// R-factor and MOS of a stream of codec `codec` with `loss_percent` lost and `jitter_ms`
/// of interarrival jitter.
pub fn estimate(codec: &str, loss_percent: f64, jitter_ms: f64) -> (f64, f64) {
    let (ie, bpl, lookahead) = impairment(codec);
    let ppl = loss_percent.clamp(0.0, 100.0);
    let ie_eff = ie + (95.0 - ie) * ppl / (ppl + bpl);
    let ta = 20.0 + lookahead + (2.0 * jitter_ms.max(0.0)).max(20.0);
    let id = 0.024 * ta + if ta > 177.3 { 0.11 * (ta - 177.3) } else { 0.0 };
    let r = 93.2 - id - ie_eff;
    (r, mos(r))
}

/// MOS from R (G.107 Annex B).
pub fn mos(r: f64) -> f64 {
    if r <= 0.0 {
        1.0
    } else if r >= 100.0 {
        4.5
    } else {
        1.0 + 0.035 * r + 7e-6 * r * (r - 60.0) * (100.0 - r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 0.01
    }

    #[test]
    fn g711_without_loss() {
        // Ta = 20 + 0 + 20 = 40 ms: Id = 0.024 × 40 = 0.96; Ie,eff = 0; R = 93.2 − 0.96.
        let (r, m) = estimate("PCMA", 0.0, 1.0);
        assert!(close(r, 92.24), "{r}");
        // MOS = 1 + 0.035 × 92.24 + 7e-6 × 92.24 × 32.24 × 7.76 = 4.390...
        assert!(
            close(m, 1.0 + 0.035 * 92.24 + 7e-6 * 92.24 * 32.24 * 7.76),
            "{m}"
        );
        assert!((4.38..4.40).contains(&m), "{m}");
    }

    #[test]
    fn g711_with_five_percent_random_loss() {
        // Ie,eff = 95 × 5 / (5 + 25.1) = 15.78; R = 93.2 − 0.96 − 15.78 = 76.46.
        let (r, m) = estimate("PCMU", 5.0, 1.0);
        assert!(close(r, 93.2 - 0.96 - 95.0 * 5.0 / 30.1), "{r}");
        // MOS = 1 + 0.035 × 76.46 + 7e-6 × 76.46 × 16.46 × 23.54 = 3.883...
        assert!((3.87..3.90).contains(&m), "{m}");
    }

    #[test]
    fn g729_without_loss() {
        // Ta = 20 + 5 + 20 = 45 ms: Id = 1.08; Ie = 11; R = 93.2 − 1.08 − 11 = 81.12.
        let (r, m) = estimate("G729", 0.0, 0.0);
        assert!(close(r, 81.12), "{r}");
        // MOS = 1 + 0.035 × 81.12 + 7e-6 × 81.12 × 21.12 × 18.88 = 4.066...
        assert!((4.05..4.08).contains(&m), "{m}");
    }

    #[test]
    fn delay_beyond_177_ms_costs_more() {
        // Jitter 100 ms: Ta = 20 + 200 = 220 ms; Id = 5.28 + 0.11 × 42.7 = 9.977.
        let (r, _) = estimate("PCMA", 0.0, 100.0);
        assert!(
            close(r, 93.2 - (0.024 * 220.0 + 0.11 * (220.0 - 177.3))),
            "{r}"
        );
        assert_eq!(mos(-5.0), 1.0);
        assert_eq!(mos(120.0), 4.5);
    }
}
