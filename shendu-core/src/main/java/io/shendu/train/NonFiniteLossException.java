package io.shendu.train;

/** Training stopped because the loss became NaN or infinite. */
public final class NonFiniteLossException extends RuntimeException {

    private final long step;

    public NonFiniteLossException(long step, int epoch, int batch, double loss) {
        super("loss is " + loss + " at step " + step + " (epoch " + epoch + ", batch " + batch
                + "); lower the learning rate, clip gradients, or check the inputs for NaN");
        this.step = step;
    }

    public long step() {
        return step;
    }
}
