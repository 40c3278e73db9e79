"""Learning offline: the installable app, courses kept on the device, progress sent when back."""
