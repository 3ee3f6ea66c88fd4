package scorerci.zip;

/** Lets tests in other packages build EntryNameViewsTest's crafted zips. */
public final class EntryNameViewsTestAccess {
    private EntryNameViewsTestAccess() {}

    public static byte[] zip(String name, String unicodePath) throws Exception {
        return EntryNameViewsTest.zip(name, unicodePath);
    }
}
