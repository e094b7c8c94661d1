// A stand-in PDF worker whose module fails as it loads, as a broken install would.
throw new Error("this worker module cannot start");
