"""Media that Moot makes or stores: captcha images and sounds, for now."""
