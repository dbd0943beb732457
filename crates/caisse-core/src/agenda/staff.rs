//! The back office of « Mon agenda » (to come in this issue).
