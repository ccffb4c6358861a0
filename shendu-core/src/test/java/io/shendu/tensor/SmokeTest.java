package io.shendu.tensor;

import io.shendu.autograd.Graph;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SmokeTest {
    @Test
    void chainRule() {
        Tensor x = Tensor.scalar(-2).requiresGrad(true).setName("x");
        Tensor y = Tensor.scalar(5).requiresGrad(true).setName("y");
        Tensor z = Tensor.scalar(-4).requiresGrad(true).setName("z");
        Tensor q = x.add(y).retainGrad().setName("q");
        Tensor f = q.mul(z).retainGrad().setName("f");
        f.backward();
        assertEquals(-12f, f.item());
        assertEquals(-4f, x.grad().item());
        assertEquals(-4f, y.grad().item());
        assertEquals(3f, z.grad().item());
        System.out.println(Graph.toDot(f));
        Tensor a = Tensor.randn(new Generator(1), 3, 4);
        System.out.println(a);
        System.out.println(a.softmax(1).sum(1));
        System.out.println(a.matmul(a.t()));
    }
}
