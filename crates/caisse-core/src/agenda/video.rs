//! The one adapter to a video service: a room per appointment at `{base}/{room}`, the room
//! derived from the appointment's id with a key of the server (HMAC-SHA-256, 128 bits shown).
//! It cannot be guessed from the id, and is never stored: the page computes it for the
//! member and the advisor, so no usable link stays readable at rest (mails say where to find
//! it, not the link).

use hmac::{Hmac, Mac};
use sha2::Sha256;
use uuid::Uuid;

use crate::CoreError;

/// The fund's video service. `Debug` shows the base URL only.
#[derive(Clone)]
pub struct VideoRooms {
    base_url: String,
    keyed: HmacSha256,
}

impl std::fmt::Debug for VideoRooms {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VideoRooms")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

type HmacSha256 = Hmac<Sha256>;

impl VideoRooms {
    /// Rooms under `base_url` (`https://visio.example.fr`, a Jitsi Meet or any service whose
    /// rooms are a path), their names keyed by `server_key`.
    ///
    /// # Errors
    /// Never in practice: HMAC takes keys of any length.
    pub fn new(base_url: &str, server_key: &[u8]) -> Result<VideoRooms, CoreError> {
        let mut derive =
            <HmacSha256 as Mac>::new_from_slice(server_key).map_err(|_| CoreError::Sealing)?;
        derive.update(b"caisse: video rooms of appointments, v1");
        let key = derive.finalize().into_bytes();
        Ok(VideoRooms {
            base_url: base_url.trim_end_matches('/').to_owned(),
            keyed: <HmacSha256 as Mac>::new_from_slice(&key).map_err(|_| CoreError::Sealing)?,
        })
    }

    /// The link of appointment `id`'s room.
    pub fn link(&self, id: Uuid) -> String {
        let mut mac = self.keyed.clone();
        mac.update(id.as_bytes());
        let digest = mac.finalize().into_bytes();
        let room: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
        format!("{}/caisse-{room}", self.base_url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_room_is_stable_per_appointment_and_differs_by_key_and_appointment() {
        let Ok(rooms) = VideoRooms::new("https://visio.example.fr/", b"server key one") else {
            panic!("HMAC takes any key");
        };
        let id = Uuid::from_u128(7);
        assert_eq!(rooms.link(id), rooms.link(id));
        assert!(
            rooms
                .link(id)
                .starts_with("https://visio.example.fr/caisse-")
        );
        assert_eq!(
            rooms.link(id).len(),
            "https://visio.example.fr/caisse-".len() + 32
        );
        assert_ne!(rooms.link(id), rooms.link(Uuid::from_u128(8)));
        let Ok(other) = VideoRooms::new("https://visio.example.fr", b"server key two") else {
            panic!("HMAC takes any key");
        };
        assert_ne!(rooms.link(id), other.link(id));
    }
}
