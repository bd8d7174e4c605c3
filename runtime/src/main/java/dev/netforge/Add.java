package dev.netforge;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The element-wise sum of two or more inputs of identical shape, as Keras's {@code Add} (no
 * broadcasting). The inputs are named with {@link From}: {@code @Add @From({"stem", "a2"}) Layer sum;}
 * (a name may repeat: {@code @From({"a", "a"})} is {@code 2a}). No parameters.
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.FIELD)
public @interface Add {
}
